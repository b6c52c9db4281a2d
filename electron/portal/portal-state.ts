import type { ErrorCode } from '../../shared/codes.ts';
import type { AgentEvent, AgentEventType, Arch } from '../../shared/protocol.ts';

/** What the portal knows about one device. */
export interface DeviceRecord {
  readonly id: string;
  readonly hostname: string | null;
  readonly arch: Arch | null;
  readonly licenseKey: string | null;
  /** Group id, `primary`, or null (sublicense key without group, or never checked in). */
  readonly group: string | null;
  readonly agentVersion: string | null;
  readonly policyId: string | null;
  readonly policyRevision: number | null;
  readonly lastCheckInAt: string | null;
  /** Why the last check-in was refused, or null when it succeeded. */
  readonly lastCheckInError: ErrorCode | null;
  /** Type of the newest event received. */
  readonly lastPhase: AgentEventType | null;
  readonly lastEventAt: string | null;
}

/** Facts a check-in leaves about its device. */
export type CheckIn = Pick<
  DeviceRecord,
  'id' | 'hostname' | 'arch' | 'licenseKey' | 'group' | 'agentVersion' | 'lastCheckInError'
> &
  Partial<Pick<DeviceRecord, 'policyId' | 'policyRevision'>>;

/** An event as the portal keeps it. */
export type StoredEvent = AgentEvent & { readonly deviceId: string; readonly receivedAt: string };

/** Which events to list. */
export interface EventFilter {
  readonly deviceId?: string;
  readonly type?: string;
}

/** Limits of the in-memory lists. */
export interface PortalStateLimits {
  readonly maxEvents?: number;
  readonly maxRememberedEventIds?: number;
}

/** Devices and events the portal received, in memory. */
export class PortalState {
  readonly #devices = new Map<string, DeviceRecord>();
  readonly #events: StoredEvent[] = [];
  readonly #seenEventIds = new Set<string>();
  readonly #maxEvents: number;
  readonly #maxIds: number;

  constructor(limits: PortalStateLimits = {}) {
    this.#maxEvents = limits.maxEvents ?? 10_000;
    this.#maxIds = limits.maxRememberedEventIds ?? 100_000;
  }

  /** Every device, in the order they were first seen. */
  devices(): DeviceRecord[] {
    return [...this.#devices.values()];
  }

  /** One device, if it was seen. */
  device(id: string): DeviceRecord | undefined {
    return this.#devices.get(id);
  }

  /** Stored events matching the filter, oldest first. */
  events(filter: EventFilter = {}): StoredEvent[] {
    return this.#events.filter(
      (e) =>
        (filter.deviceId === undefined || e.deviceId === filter.deviceId) &&
        (filter.type === undefined || e.type === filter.type),
    );
  }

  /** Records a check-in, accepted or refused. */
  recordCheckIn(checkIn: CheckIn, now = new Date()): void {
    const previous = this.#devices.get(checkIn.id) ?? emptyDevice(checkIn.id);
    this.#devices.set(checkIn.id, {
      ...previous,
      ...checkIn,
      policyId: checkIn.policyId ?? null,
      policyRevision: checkIn.policyRevision ?? null,
      lastCheckInAt: now.toISOString(),
    });
  }

  /** Stores the events not seen before and returns how many that was. */
  recordEvents(deviceId: string, events: readonly AgentEvent[], now = new Date()): number {
    const fresh = events.filter((event) => this.#remember(event.id));
    const receivedAt = now.toISOString();
    for (const event of fresh) this.#events.push({ ...event, deviceId, receivedAt });
    if (this.#events.length > this.#maxEvents) {
      this.#events.splice(0, this.#events.length - this.#maxEvents);
    }
    const last = fresh.at(-1);
    const device = this.#devices.get(deviceId) ?? emptyDevice(deviceId);
    this.#devices.set(
      deviceId,
      last ? { ...device, lastPhase: last.type, lastEventAt: last.at } : device,
    );
    return fresh.length;
  }

  // Returns false for an id already seen; forgets the oldest ids past the limit.
  #remember(id: string): boolean {
    if (this.#seenEventIds.has(id)) return false;
    this.#seenEventIds.add(id);
    if (this.#seenEventIds.size > this.#maxIds) {
      const oldest = this.#seenEventIds.values().next().value;
      if (oldest !== undefined) this.#seenEventIds.delete(oldest);
    }
    return true;
  }
}

function emptyDevice(id: string): DeviceRecord {
  return {
    id,
    hostname: null,
    arch: null,
    licenseKey: null,
    group: null,
    agentVersion: null,
    policyId: null,
    policyRevision: null,
    lastCheckInAt: null,
    lastCheckInError: null,
    lastPhase: null,
    lastEventAt: null,
  };
}
