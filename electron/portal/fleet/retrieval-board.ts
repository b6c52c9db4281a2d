import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import type { RetrievalState } from '../../../shared/admin-fleet.ts';
import type { PortalCommand } from '../../../shared/protocol.ts';

/** Timing of the retrieval channels. */
export interface RetrievalTiming {
  /** How long a long-poll waits for a command before answering 204; 25 s by default. */
  readonly waitMs?: number;
  /** How long a pending request may go unacknowledged before it is not-responding; 30 s. */
  readonly timeoutMs?: number;
  /** How long after a poll ended the channel still counts as open (the agent is re-polling); 5 s. */
  readonly graceMs?: number;
  readonly now?: () => number;
}

/** One device's latest retrieval request. */
export interface Retrieval {
  readonly id: string;
  readonly requestedAt: string;
  readonly state: RetrievalState;
}

/** Events of the board: `channel` (deviceId, open) and `retrieval` (deviceId, Retrieval). */
export type BoardEvents = {
  channel: [deviceId: string, open: boolean];
  retrieval: [deviceId: string, retrieval: Retrieval];
};

/** The agents' open long-polls and the policy retrieval requests sent down them. */
export class RetrievalBoard extends EventEmitter<BoardEvents> {
  readonly #waiting = new Map<string, Set<(command: PortalCommand | null) => void>>();
  readonly #polledAt = new Map<string, number>();
  // Devices that ever held a channel: agents that run on, unlike a one-shot `provisim run`.
  readonly #agents = new Set<string>();
  readonly #queued = new Map<string, PortalCommand>();
  readonly #retrievals = new Map<string, Retrieval>();
  readonly #timers = new Set<ReturnType<typeof setTimeout>>();
  readonly #waitMs: number;
  readonly #timeoutMs: number;
  readonly #graceMs: number;
  readonly #now: () => number;

  constructor(timing: RetrievalTiming = {}) {
    super();
    this.#waitMs = timing.waitMs ?? 25_000;
    this.#timeoutMs = timing.timeoutMs ?? 30_000;
    this.#graceMs = timing.graceMs ?? 5_000;
    this.#now = timing.now ?? Date.now;
  }

  /** Whether the device has a poll open, or ended one so recently that it is surely re-polling. */
  channelOpen(deviceId: string): boolean {
    if ((this.#waiting.get(deviceId)?.size ?? 0) > 0) return true;
    const at = this.#polledAt.get(deviceId);
    return at !== undefined && this.#now() - at < this.#graceMs;
  }

  /** Whether the device ever polled: it runs an agent that keeps checking in on schedule. */
  keepsChannel(deviceId: string): boolean {
    return this.#agents.has(deviceId);
  }

  /** The device's latest retrieval request, if any. */
  retrieval(deviceId: string): Retrieval | undefined {
    return this.#retrievals.get(deviceId);
  }

  /**
   * A long-poll: a queued command at once, else the next one within the wait, else null.
   * `closed` resolves when the agent hangs up first; the channel is closed at once then.
   */
  poll(deviceId: string, closed: Promise<void>): Promise<PortalCommand | null> {
    this.#agents.add(deviceId);
    const queued = this.#queued.get(deviceId);
    this.#queued.delete(deviceId);
    if (queued) return Promise.resolve(this.#answered(deviceId, queued));
    return new Promise((resolve) => {
      const waiters = this.#waiting.get(deviceId) ?? new Set();
      const finish = (command: PortalCommand | null, hungUp = false): void => {
        clearTimeout(timer);
        this.#timers.delete(timer);
        if (!waiters.delete(finish)) return;
        if (hungUp) this.#polledAt.delete(deviceId);
        else this.#answered(deviceId, command);
        if (!this.channelOpen(deviceId)) this.emit('channel', deviceId, false);
        resolve(command);
      };
      const timer = setTimeout(() => finish(null), this.#waitMs);
      this.#timers.add(timer);
      const wasOpen = this.channelOpen(deviceId);
      waiters.add(finish);
      this.#waiting.set(deviceId, waiters);
      if (!wasOpen) this.emit('channel', deviceId, true);
      void closed.then(() => finish(null, true));
    });
  }

  /** Asks a device to retrieve its policy: pending when its channel is open, else offline. */
  request(deviceId: string): Retrieval {
    const current = this.#retrievals.get(deviceId);
    if (current?.state === 'pending') return current;
    const requestedAt = new Date(this.#now()).toISOString();
    if (!this.channelOpen(deviceId)) {
      return this.#set(deviceId, { id: randomUUID(), requestedAt, state: 'offline' });
    }
    const retrieval = this.#set(deviceId, { id: randomUUID(), requestedAt, state: 'pending' });
    const command: PortalCommand = { command: 'retrieve-policy', id: retrieval.id };
    const waiter = this.#waiting.get(deviceId)?.values().next().value;
    if (waiter) waiter(command);
    else this.#queued.set(deviceId, command);
    const timer = setTimeout(() => {
      this.#timers.delete(timer);
      if (this.#retrievals.get(deviceId)?.id !== retrieval.id) return;
      if (this.#retrievals.get(deviceId)?.state !== 'pending') return;
      this.#queued.delete(deviceId);
      this.#set(deviceId, { ...retrieval, state: 'not-responding' });
    }, this.#timeoutMs);
    this.#timers.add(timer);
    return retrieval;
  }

  /** The device's request with this id, when it is its latest one. */
  find(deviceId: string, id: string): Retrieval | undefined {
    const retrieval = this.#retrievals.get(deviceId);
    return retrieval?.id === id ? retrieval : undefined;
  }

  /** Marks the request retrieved; a late ack also turns not-responding into retrieved. */
  acknowledge(deviceId: string, id: string): Retrieval | undefined {
    const retrieval = this.find(deviceId, id);
    return retrieval && this.#set(deviceId, { ...retrieval, state: 'retrieved' });
  }

  /** Answers every open poll with nothing and stops the timers (the portal is closing). */
  close(): void {
    for (const timer of this.#timers) clearTimeout(timer);
    this.#timers.clear();
    for (const waiters of this.#waiting.values()) for (const finish of [...waiters]) finish(null);
  }

  #answered(deviceId: string, command: PortalCommand | null): PortalCommand | null {
    this.#polledAt.set(deviceId, this.#now());
    return command;
  }

  #set(deviceId: string, retrieval: Retrieval): Retrieval {
    this.#retrievals.set(deviceId, retrieval);
    this.emit('retrieval', deviceId, retrieval);
    return retrieval;
  }
}
