import type { Logger } from 'pino';
import type { AgentEvent, AgentEventType } from '../../shared/protocol.ts';
import type { Outbox } from './outbox.ts';

/** How often a download-progress event may go to the portal. */
export const PROGRESS_EVENT_INTERVAL_MS = 5_000;

/** Records a job's events in the outbox, tells the caller, and delivers them in the background. */
export class JobReporter {
  readonly #outbox: Outbox;
  readonly #logger: Logger;
  readonly #listener: ((event: AgentEvent) => void) | undefined;
  #delivery: Promise<unknown> = Promise.resolve();
  #lastProgressAt = Number.NEGATIVE_INFINITY;

  constructor(outbox: Outbox, logger: Logger, listener?: (event: AgentEvent) => void) {
    this.#outbox = outbox;
    this.#logger = logger;
    this.#listener = listener;
  }

  /** Persists one event, then hands it to the listener and starts a delivery. */
  emit(type: AgentEventType, fields: Record<string, unknown> = {}): AgentEvent {
    const event = this.#outbox.record(type, fields);
    this.#logger.info({ event }, type);
    this.#listener?.(event);
    this.#deliverInBackground();
    return event;
  }

  /** Emits download-progress at most once per PROGRESS_EVENT_INTERVAL_MS. */
  progress(fields: Record<string, unknown>, now = Date.now()): void {
    if (now - this.#lastProgressAt < PROGRESS_EVENT_INTERVAL_MS) return;
    this.#lastProgressAt = now;
    this.emit('download-progress', fields);
  }

  /** Waits for the deliveries under way, then tries once more for whatever is pending. */
  async settle(): Promise<{ delivered: number; pending: number }> {
    await this.#delivery;
    return this.#outbox.flush();
  }

  #deliverInBackground(): void {
    // Deliveries are chained so the portal receives events in the order they happened.
    this.#delivery = this.#delivery
      .then(() => this.#outbox.flush())
      .catch((error: unknown) => this.#logger.warn({ err: error }, 'event delivery failed'));
  }
}
