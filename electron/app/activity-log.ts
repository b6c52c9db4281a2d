import { readFile } from 'node:fs/promises';
import { PAUSED_ACTIVITY_CODE, type ActivityEntry } from '../../shared/ipc-contract.ts';
import { agentEventSchema, type AgentEvent } from '../../shared/protocol.ts';
import { homeLayout } from '../agent/home-layout.ts';
import type { StopReason } from './job-phases.ts';

/** Entries kept for the Activity view; older ones are dropped first. */
export const ACTIVITY_LIMIT = 500;

/**
 * The event as the Activity view lists it. The agent ends a paused download as any stopped one,
 * download-failed with CANCELLED (and the portal gets that); here a pause says it was one.
 */
export function asShownInActivity(event: AgentEvent, stopped: StopReason | undefined): AgentEvent {
  if (stopped !== 'pause' || event.type !== 'download-failed') return event;
  if (event.error.code !== 'CANCELLED') return event;
  const message = 'Paused: the part downloaded so far is kept, and Resume continues from it.';
  return { ...event, error: { code: PAUSED_ACTIVITY_CODE, message } };
}

/** The agent's events of this session (and those still queued from earlier ones), with delivery state. */
export class ActivityLog {
  readonly #outboxPath: string;
  readonly #onChange: (entries: readonly ActivityEntry[]) => void;
  #entries: ActivityEntry[] = [];

  constructor(home: string, onChange: (entries: readonly ActivityEntry[]) => void) {
    this.#outboxPath = homeLayout(home).outbox;
    this.#onChange = onChange;
  }

  /** Every entry, oldest first. */
  list(): readonly ActivityEntry[] {
    return this.#entries;
  }

  /** Loads the events an earlier session left undelivered in the outbox. */
  async load(): Promise<void> {
    const queued = (await this.#queued()) ?? new Map();
    this.#entries = [...queued.values()].map((event) => ({ event, delivery: 'pending' as const }));
  }

  /** Adds an event the agent just recorded (it sits in the outbox until delivered). */
  add(event: AgentEvent): void {
    const entry: ActivityEntry = { event, delivery: 'pending' };
    this.#entries = [...this.#entries, entry].slice(-ACTIVITY_LIMIT);
    this.#onChange([entry]);
    // Delivery runs in the background: earlier entries may have gone out meanwhile.
    void this.refresh();
  }

  /** Marks the entries the outbox no longer holds as delivered and reports those that changed. */
  async refresh(): Promise<void> {
    const queued = await this.#queued();
    if (!queued) return;
    const changed: ActivityEntry[] = [];
    this.#entries = this.#entries.map((entry) => {
      if (entry.delivery === 'delivered' || queued.has(entry.event.id)) return entry;
      const delivered: ActivityEntry = { ...entry, delivery: 'delivered' };
      changed.push(delivered);
      return delivered;
    });
    if (changed.length > 0) this.#onChange(changed);
  }

  // Undefined when the outbox cannot be read: then nothing is concluded about delivery.
  async #queued(): Promise<Map<string, AgentEvent> | undefined> {
    let raw: unknown;
    try {
      raw = JSON.parse(await readFile(this.#outboxPath, 'utf8'));
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'ENOENT' ? new Map() : undefined;
    }
    const events = (raw as { events?: unknown }).events;
    const queued = new Map<string, AgentEvent>();
    for (const item of Array.isArray(events) ? events : []) {
      const parsed = agentEventSchema.safeParse(item);
      if (parsed.success) queued.set(parsed.data.id, parsed.data);
    }
    return queued;
  }
}
