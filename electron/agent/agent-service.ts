import type { Arch } from '../../shared/protocol.ts';
import { acquireAgentLock } from './agent-lock.ts';
import { openAgent, type AgentContext } from './agent-context.ts';
import { openAgentStore } from './agent-store.ts';
import { checkInAndCache, type CheckInOutcome } from './check-in.ts';
import { CheckInScheduler } from './check-in-scheduler.ts';
import { RetrievalChannel } from './retrieval-channel.ts';

/** Options of the long-running agent. */
export interface AgentServiceOptions {
  readonly home: string;
  readonly portalUrl: string;
  readonly licenseKey: string;
  readonly arch?: Arch;
  /** An HTTP proxy for the portal (remembered); default: the store's setting, else the environment. */
  readonly proxyUrl?: string;
  /** Seconds between check-ins until the portal says otherwise. */
  readonly initialIntervalSec?: number;
  readonly onCheckIn?: (outcome: CheckInOutcome) => void;
  readonly onError?: (error: unknown) => void;
  /** Told after a policy retrieval the admin requested was carried out and acknowledged. */
  readonly onRetrieval?: (commandId: string) => void;
  /** First wait of the retrieval channel after a failed poll (doubles up to a minute). */
  readonly channelRetryDelayMs?: number;
}

/** The agent between "New VM" actions: checks in on the portal's schedule and delivers queued events. */
export class AgentService {
  readonly #options: AgentServiceOptions;
  #scheduler: CheckInScheduler | undefined;
  #channel: RetrievalChannel | undefined;
  #release: (() => Promise<void>) | undefined;

  constructor(options: AgentServiceOptions) {
    this.#options = options;
  }

  /** Takes the home folder's lock and starts checking in, the first time at once. */
  async start(): Promise<void> {
    const { home, portalUrl, licenseKey } = this.#options;
    this.#release = await acquireAgentLock(home);
    try {
      this.#open(home, portalUrl, licenseKey);
    } catch (error) {
      // Nothing runs: leave the home folder to the next agent.
      await this.stop();
      throw error;
    }
  }

  #open(home: string, portalUrl: string, licenseKey: string): void {
    const saved = openAgentStore(home);
    const proxyUrl = this.#options.proxyUrl ?? saved.get('proxyUrl');
    const { arch } = this.#options;
    // Opened first: a bad portal URL or proxy fails here, before anything is remembered.
    const agent = openAgent(home, {
      portalUrl,
      licenseKey,
      caFile: saved.get('caFile'),
      proxyUrl,
      arch,
    });
    const { store, client, identity, logger } = agent;
    store.update({ portalUrl, licenseKey, proxyUrl });
    this.#scheduler = new CheckInScheduler({
      intervalSec: this.#options.initialIntervalSec ?? store.get('checkInIntervalSec') ?? 900,
      immediate: true,
      run: () => this.#checkIn(agent),
      onError: (error) => {
        logger.warn({ err: error }, 'scheduled check-in failed');
        this.#options.onError?.(error);
      },
    });
    // Opened after the first check-in (see #checkIn): the portal knows the device by then.
    this.#channel = new RetrievalChannel({
      target: () => ({ client, deviceId: identity.deviceId, licenseKey }),
      retrieve: () => this.checkInNow(),
      onCommand: (command) => this.#options.onRetrieval?.(command.id),
      onError: (error) => logger.warn({ err: error }, 'retrieval channel failed'),
      retryDelayMs: this.#options.channelRetryDelayMs,
    });
    this.#scheduler.start();
  }

  /** Checks in now, as the Connect button does. */
  async checkInNow(): Promise<void> {
    await this.#scheduler?.triggerNow();
  }

  /** Stops the schedule, hangs up the retrieval channel and releases the home folder. */
  async stop(): Promise<void> {
    this.#scheduler?.stop();
    this.#scheduler = undefined;
    await this.#channel?.stop();
    this.#channel = undefined;
    await this.#release?.();
    this.#release = undefined;
  }

  async #checkIn({ store, client, identity, outbox }: AgentContext) {
    const { portalUrl, licenseKey } = this.#options;
    const outcome = await checkInAndCache({ store, client, identity, licenseKey, portalUrl });
    store.set('checkInIntervalSec', outcome.checkInIntervalSec);
    // The portal answered, so it is a good moment to deliver what queued while it was away.
    await outbox.flush();
    if (this.#scheduler?.started) this.#channel?.start();
    this.#options.onCheckIn?.(outcome);
    return { checkInIntervalSec: outcome.checkInIntervalSec };
  }
}
