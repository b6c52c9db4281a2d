import { randomUUID } from 'node:crypto';
import type { Logger } from 'pino';
import { z } from 'zod';
import {
  agentEventSchema,
  type AgentEvent,
  type AgentEventFields,
  type AgentEventOf,
  type AgentEventType,
} from '../../shared/protocol.ts';
import { corruptFile } from './conf-file.ts';
import { OutboxFile } from './outbox-file.ts';
import type { PortalClient } from './portal-client.ts';

/** Events per POST; the portal accepts up to 500. */
export const OUTBOX_BATCH_SIZE = 100;

/**
 * Most events kept while the portal is unreachable. Without a cap a laptop offline for weeks would
 * grow the file (rewritten on every event) without bound. Progress events go first: a later
 * progress or finished event supersedes them, so they carry the least information.
 */
export const OUTBOX_MAX_EVENTS = 10_000;

// Not a conf store: conf compiles a schema with an ajv of its own per file (about 25 ms) and
// fsyncs every write, both paid once per Mac by a fleet. The file is read through zod.
const outboxFileSchema = z.looseObject({ events: z.array(z.unknown()).default([]) });
const eventsSchema = z.array(agentEventSchema);

/** Options of an Outbox. */
export interface OutboxOptions {
  home: string;
  deviceId: string;
  /** The key the device checks in with: the portal takes a device's events with it only. */
  licenseKey: string;
  client: PortalClient;
  logger?: Logger;
  maxEvents?: number;
  /** Wait for the disk on every write (default). A fleet's Macs do not: kill -9 loses nothing, a power cut may. */
  fsync?: boolean;
}

/** Persisted queue of agent events: never lost (written before use), removed only once accepted. */
export class Outbox {
  readonly #file: OutboxFile;
  readonly #deviceId: string;
  readonly #licenseKey: string;
  readonly #client: PortalClient;
  readonly #logger: Logger | undefined;
  readonly #maxEvents: number;
  #flushing: Promise<unknown> = Promise.resolve();

  constructor(options: OutboxOptions) {
    this.#file = new OutboxFile(options.home, { fsync: options.fsync });
    // A file that is no JSON is named when the agent opens, as a conf store was.
    this.#file.read();
    this.#deviceId = options.deviceId;
    this.#licenseKey = options.licenseKey;
    this.#client = options.client;
    this.#logger = options.logger;
    this.#maxEvents = options.maxEvents ?? OUTBOX_MAX_EVENTS;
  }

  /** Creates an event (new id, current time), persists it, then returns it. */
  record<T extends AgentEventType>(type: T, fields: AgentEventFields<T>): AgentEventOf<T> {
    const draft = { ...fields, id: randomUUID(), type, at: new Date().toISOString() };
    // The JSON round trip drops undefined fields and turns Dates into strings, as the wire would.
    const event = agentEventSchema.parse(JSON.parse(JSON.stringify(draft))) as AgentEventOf<T>;
    const events = [...this.pending(), event];
    this.#write(this.#capped(events));
    return event;
  }

  /** Events not yet accepted by the portal, oldest first. */
  pending(): AgentEvent[] {
    const file = outboxFileSchema.safeParse(this.#file.read());
    if (!file.success)
      throw corruptFile(this.#file.path, 'it is not an object with a list of events');
    const events = eventsSchema.safeParse(file.data.events);
    if (!events.success) {
      const issue = events.error.issues[0]!;
      throw corruptFile(this.#file.path, `events.${issue.path.join('.')}: ${issue.message}`);
    }
    return events.data;
  }

  /** Delivers pending events in order, in batches; keeps them (no throw) when the portal fails or `signal` aborts. */
  flush(signal?: AbortSignal): Promise<{ delivered: number; pending: number }> {
    // Flushes run one after another so no batch is ever in flight twice.
    const next = this.#flushing.then(() => this.#flushOnce(signal));
    this.#flushing = next.catch(() => {});
    return next;
  }

  async #flushOnce(signal?: AbortSignal): Promise<{ delivered: number; pending: number }> {
    let delivered = 0;
    for (;;) {
      const pending = this.pending();
      if (pending.length === 0) return { delivered, pending: 0 };
      const batch = pending.slice(0, OUTBOX_BATCH_SIZE);
      try {
        await this.#client.postEvents(this.#deviceId, this.#licenseKey, batch, signal);
      } catch (error) {
        this.#logger?.warn(
          { err: error, pending: pending.length },
          'events kept for later delivery',
        );
        return { delivered, pending: pending.length };
      }
      const sent = new Set(batch.map((event) => event.id));
      // Re-read: record() may have appended while the batch was on the wire.
      this.#write(this.pending().filter((event) => !sent.has(event.id)));
      delivered += batch.length;
    }
  }

  #capped(events: AgentEvent[]): AgentEvent[] {
    let excess = events.length - this.#maxEvents;
    if (excess <= 0) return events;
    this.#logger?.warn({ dropped: excess }, 'outbox full: dropping the oldest events');
    const kept = events.filter((event) => {
      if (excess > 0 && event.type === 'download-progress') {
        excess -= 1;
        return false;
      }
      return true;
    });
    return excess > 0 ? kept.slice(excess) : kept;
  }

  #write(events: AgentEvent[]): void {
    this.#file.write({ events });
  }
}
