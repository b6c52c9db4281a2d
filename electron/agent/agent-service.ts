import type { AgentConfig } from './agent-config.ts';
import { openAgent, type AgentContext } from './agent-context.ts';
import { openAgentStore } from './agent-store.ts';
import { checkInAndCache, type CheckInOutcome } from './check-in.ts';
import { CheckInScheduler } from './check-in-scheduler.ts';
import { RetrievalChannel } from './retrieval-channel.ts';
import type { Transport } from './transport.ts';

/** Options of the long-running agent; the caller holds the home folder's agent lock. */
export interface AgentServiceOptions {
  readonly home: string;
  /** The headless agent's fixed config, or the app's current settings, read before each check-in. */
  readonly config: AgentConfig | (() => Promise<AgentConfig>);
  /** The transport the caller built when it checked a fixed config. */
  readonly transport?: Transport;
  /** Seconds between check-ins the user chose; the portal's when it gives none. */
  readonly intervalSec?: () => number | undefined;
  readonly onCheckIn?: (outcome: CheckInOutcome) => void;
  /** Told about each failed check-in; the schedule goes on. */
  readonly onError?: (error: unknown) => void;
  /** Told after a policy retrieval the admin requested was carried out and acknowledged. */
  readonly onRetrieval?: (commandId: string) => void;
  /** First wait of the retrieval channel after a failed poll (doubles up to a minute). */
  readonly channelRetryDelayMs?: number;
}

const FIRST_INTERVAL_SEC = 900;

/** The agent between jobs, headless or in the app: checks in on schedule, delivers queued events. */
export class AgentService {
  readonly #options: AgentServiceOptions;
  readonly #channel: RetrievalChannel;
  #scheduler: CheckInScheduler | undefined;
  #agent: { key: string; context: AgentContext } | undefined;
  #last: { outcome: CheckInOutcome } | { error: unknown } | undefined;
  #inFlight: Promise<unknown> | undefined;

  constructor(options: AgentServiceOptions) {
    this.#options = options;
    // Opened after a check-in worked: a retrieval the admin requests reaches the agent at once.
    this.#channel = new RetrievalChannel({
      target: async () => {
        const { client, identity, config } = await this.#context();
        return { client, deviceId: identity.deviceId, licenseKey: config.licenseKey };
      },
      retrieve: async () => this.#scheduler?.triggerNow(),
      onCommand: (command) => options.onRetrieval?.(command.id),
      onError: (error) => this.#agent?.context.logger.warn({ err: error }, 'retrieval failed'),
      retryDelayMs: options.channelRetryDelayMs,
    });
  }

  /** The error of the last check-in, or undefined when it worked (or none ran yet). */
  get lastError(): unknown {
    return this.#last && 'error' in this.#last ? this.#last.error : undefined;
  }

  /** Starts the schedule (no-op when started) with a check-in at once. */
  start(): void {
    if (this.#scheduler) return;
    this.#scheduler = new CheckInScheduler({
      intervalSec:
        openAgentStore(this.#options.home).get('checkInIntervalSec') ?? FIRST_INTERVAL_SEC,
      immediate: true,
      run: () => {
        const run = this.#checkIn();
        this.#inFlight = run.catch(() => undefined);
        return run;
      },
      onError: (error) => this.#options.onError?.(error),
    });
    this.#scheduler.start();
  }

  /** Checks in now (the Connect button), joining one under way; throws its error. */
  async checkInNow(): Promise<CheckInOutcome> {
    this.start();
    await this.#scheduler!.triggerNow();
    const last = this.#last!;
    if ('error' in last) throw last.error;
    return last.outcome;
  }

  /** Stops the schedule and the retrieval channel, and waits for a check-in under way. */
  async stop(): Promise<void> {
    this.#scheduler?.stop();
    this.#scheduler = undefined;
    await this.#channel.stop();
    await this.#inFlight;
  }

  async #checkIn(): Promise<{ checkInIntervalSec: number }> {
    try {
      const { store, client, identity, outbox, config } = await this.#context();
      const { portalUrl, licenseKey } = config;
      const outcome = await checkInAndCache({ store, client, identity, licenseKey, portalUrl });
      store.set('checkInIntervalSec', outcome.checkInIntervalSec);
      // The portal answered, so it is a good moment to deliver what queued while it was away.
      await outbox.flush();
      this.#last = { outcome };
      if (this.#scheduler) this.#channel.start();
      this.#options.onCheckIn?.(outcome);
      return { checkInIntervalSec: this.#options.intervalSec?.() ?? outcome.checkInIntervalSec };
    } catch (error) {
      this.#last = { error };
      this.#agent?.context.logger.warn({ err: error }, 'check-in failed');
      throw error;
    }
  }

  // One context per config: the CA file is read and the proxy agents built when it changes only.
  async #context(): Promise<AgentContext> {
    const { config, home, transport } = this.#options;
    const current = typeof config === 'function' ? await config() : config;
    const key = JSON.stringify(current);
    if (this.#agent?.key !== key) {
      const given = typeof config === 'function' ? undefined : transport;
      this.#agent = { key, context: openAgent(home, current, given) };
    }
    return this.#agent.context;
  }
}
