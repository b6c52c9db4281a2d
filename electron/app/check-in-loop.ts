import type { IpcError } from '../../shared/ipc-contract.ts';
import type { Arch } from '../../shared/protocol.ts';
import { ProvisimError } from '../../shared/provisim-error.ts';
import { openAgent } from '../agent/agent-context.ts';
import { openAgentStore } from '../agent/agent-store.ts';
import { checkInAndCache } from '../agent/check-in.ts';
import { CheckInScheduler } from '../agent/check-in-scheduler.ts';
import { RetrievalChannel } from '../agent/retrieval-channel.ts';
import { toIpcError } from './ipc-errors.ts';

/** Where and as whom the agent checks in. */
export interface CheckInTarget {
  readonly portalUrl: string;
  readonly licenseKey: string;
  readonly arch: Arch;
  readonly caFile?: string;
  readonly proxyUrl?: string;
  /** The user's interval; the portal's when absent. */
  readonly intervalSec?: number;
}

/** Options of a CheckInLoop. */
export interface CheckInLoopOptions {
  readonly home: string;
  /** The current target; throws NOT_CONFIGURED (or starts the embedded portal) as needed. */
  readonly target: () => Promise<CheckInTarget>;
  /** Told after every check-in, whether it worked or not. */
  readonly onChange: () => void;
}

const FIRST_INTERVAL_SEC = 900;

/** The scheduled check-in of the app (the headless agent's AgentService, without its own lock). */
export class CheckInLoop {
  readonly #options: CheckInLoopOptions;
  #scheduler: CheckInScheduler | undefined;
  #lastError: IpcError | null = null;
  #lastChanged = false;
  #inFlight: Promise<unknown> | undefined;
  // Opened after a check-in worked: a policy retrieval the admin requests reaches the app at once.
  readonly #channel: RetrievalChannel;

  constructor(options: CheckInLoopOptions) {
    this.#options = options;
    this.#channel = new RetrievalChannel({
      target: async () => {
        const target = await options.target();
        const { client, identity } = openAgent(options.home, target);
        return { client, deviceId: identity.deviceId, licenseKey: target.licenseKey };
      },
      retrieve: async () => this.#scheduler?.triggerNow(),
    });
  }

  /** The error of the last check-in, or null when it worked. */
  get lastError(): IpcError | null {
    return this.#lastError;
  }

  /** Starts the schedule (no-op when started) with a check-in at once. */
  start(): void {
    if (this.#scheduler) return;
    const store = openAgentStore(this.#options.home);
    this.#scheduler = new CheckInScheduler({
      intervalSec: store.get('checkInIntervalSec') ?? FIRST_INTERVAL_SEC,
      immediate: true,
      run: () => {
        const run = this.#checkIn();
        this.#inFlight = run.catch(() => undefined);
        return run;
      },
      // The error is kept in #lastError for the agent properties; the schedule goes on.
      onError: () => undefined,
    });
    this.#scheduler.start();
  }

  /** Stops the schedule and the retrieval channel, and waits for a check-in under way. */
  async stop(): Promise<void> {
    this.#scheduler?.stop();
    this.#scheduler = undefined;
    await this.#channel.stop();
    await this.#inFlight;
  }

  /** Checks in now ("Check for policy now"), joining one under way; throws its error. */
  async connect(): Promise<{ policyChanged: boolean }> {
    this.start();
    await this.#scheduler!.triggerNow();
    const error = this.#lastError;
    if (error) throw new ProvisimError(error.code, error);
    return { policyChanged: this.#lastChanged };
  }

  async #checkIn(): Promise<{ checkInIntervalSec: number }> {
    try {
      const target = await this.#options.target();
      const { store, client, identity, outbox } = openAgent(this.#options.home, target);
      const { portalUrl, licenseKey } = target;
      const outcome = await checkInAndCache({ store, client, identity, licenseKey, portalUrl });
      store.set('checkInIntervalSec', outcome.checkInIntervalSec);
      // The portal answered: a good moment to deliver what queued while it was away.
      await outbox.flush();
      this.#lastError = null;
      this.#lastChanged = outcome.changed;
      if (this.#scheduler) this.#channel.start();
      return { checkInIntervalSec: target.intervalSec ?? outcome.checkInIntervalSec };
    } catch (error) {
      this.#lastError = toIpcError(error);
      throw error;
    } finally {
      this.#options.onChange();
    }
  }
}
