import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from 'pino';
import type {
  AgentEvent,
  AgentEventFields,
  AgentEventOf,
  AgentEventType,
} from '../../shared/protocol.ts';
import type { Outbox } from './outbox.ts';

/** How often a download-progress event may go to the portal, unless the job says otherwise. */
export const PROGRESS_EVENT_INTERVAL_MS = 5_000;

/** How long the end of a job waits for deliveries before leaving them to the next run. */
export const SETTLE_DEADLINE_MS = 3_000;

/** Records a job's events in the outbox, tells the caller, and delivers them in the background. */
export class JobReporter {
  readonly #outbox: Outbox;
  readonly #logger: Logger;
  readonly #listener: ((event: AgentEvent) => void) | undefined;
  #delivering: Promise<void> | undefined;
  readonly #giveUp = new AbortController();
  #more = false;
  #lastProgressAt = Number.NEGATIVE_INFINITY;
  readonly #progressEveryMs: number;

  constructor(
    outbox: Outbox,
    logger: Logger,
    listener?: (event: AgentEvent) => void,
    progressEveryMs = PROGRESS_EVENT_INTERVAL_MS,
  ) {
    this.#outbox = outbox;
    this.#logger = logger;
    this.#listener = listener;
    this.#progressEveryMs = progressEveryMs;
  }

  /** Persists one event, then hands it to the listener and starts a delivery. */
  emit<T extends AgentEventType>(type: T, fields: AgentEventFields<T>): AgentEventOf<T> {
    const event = this.#outbox.record(type, fields);
    this.#logger.info({ event }, type);
    this.#listener?.(event);
    this.#deliverInBackground();
    return event;
  }

  /** Emits download-progress at most once per progress interval. */
  progress(fields: AgentEventFields<'download-progress'>, now = Date.now()): void {
    if (now - this.#lastProgressAt < this.#progressEveryMs) return;
    this.#lastProgressAt = now;
    this.emit('download-progress', fields);
  }

  /** Waits (at most `deadlineMs`) for deliveries, then stops them; what is pending stays in the outbox. */
  async settle(deadlineMs = SETTLE_DEADLINE_MS): Promise<{ pending: number }> {
    this.#deliverInBackground();
    const timer = new AbortController();
    await Promise.race([
      this.#delivering,
      delay(deadlineMs, undefined, { signal: timer.signal, ref: false }).catch(() => undefined),
    ]);
    timer.abort();
    // A request still hanging on an unresponsive portal must not keep the process alive.
    this.#giveUp.abort();
    return { pending: this.#outbox.pending().length };
  }

  #deliverInBackground(): void {
    // One delivery at a time, in order; events recorded meanwhile go with the next round.
    if (this.#delivering) {
      this.#more = true;
      return;
    }
    this.#delivering = (async () => {
      do {
        this.#more = false;
        if (this.#giveUp.signal.aborted) return;
        await this.#outbox
          .flush(this.#giveUp.signal)
          .catch((error: unknown) => this.#logger.warn({ err: error }, 'event delivery failed'));
      } while (this.#more && this.#outbox.pending().length > 0);
    })().finally(() => (this.#delivering = undefined));
  }
}
