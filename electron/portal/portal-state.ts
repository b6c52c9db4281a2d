import type { AgentEvent } from '../../shared/protocol.ts';
import { sameSecret } from './client-access.ts';
import { emptyDevice, type CheckIn, type DeviceRecord, type StoredEvent } from './device-record.ts';

export type { CheckIn, DeviceRecord, StoredEvent } from './device-record.ts';

/** Devices a portal keeps unless told otherwise: far above a fleet run of simulated Macs. */
export const DEFAULT_MAX_DEVICES = 100_000;

/** Which events to list. */
export interface EventFilter {
  readonly deviceId?: string;
  readonly type?: string;
}

/** Limits of the in-memory lists, and who to tell about changes. */
export interface PortalStateLimits {
  readonly maxEvents?: number;
  readonly maxRememberedEventIds?: number;
  /** Most devices recorded; a check-in of a new device past it is refused, none is dropped. */
  readonly maxDevices?: number;
  /** Called after every check-in or new event, for saving. */
  readonly onChange?: () => void;
}

/** Devices and events as saved in the data folder. */
export interface PortalStateSnapshot {
  readonly devices: readonly DeviceRecord[];
  readonly events: readonly StoredEvent[];
}

/** What changed: a device record, or a new event (its device changed too). */
export type PortalStateUpdate =
  | { readonly kind: 'device'; readonly deviceId: string }
  | { readonly kind: 'event'; readonly event: StoredEvent };

/** Devices and events the portal received, in memory. */
export class PortalState {
  readonly #devices = new Map<string, DeviceRecord>();
  readonly #events: StoredEvent[] = [];
  // The same events by device, so that one device's events cost its own, not the whole list.
  readonly #byDevice = new Map<string, StoredEvent[]>();
  readonly #seenEventIds = new Set<string>();
  readonly #maxEvents: number;
  readonly #maxIds: number;
  readonly #maxDevices: number;
  readonly #changed: () => void;
  readonly #listeners = new Set<(update: PortalStateUpdate) => void>();

  constructor(limits: PortalStateLimits = {}) {
    this.#maxEvents = limits.maxEvents ?? 10_000;
    this.#maxIds = limits.maxRememberedEventIds ?? 100_000;
    this.#maxDevices = limits.maxDevices ?? DEFAULT_MAX_DEVICES;
    this.#changed = limits.onChange ?? (() => {});
  }

  /** Devices and kept events, for saving. */
  snapshot(): PortalStateSnapshot {
    return { devices: this.devices(), events: [...this.#events] };
  }

  /** Takes back saved devices and events (the newest within the limit); their ids stay known. */
  restore(snapshot: PortalStateSnapshot): void {
    for (const device of snapshot.devices) this.#devices.set(device.id, device);
    const kept = snapshot.events.slice(-this.#maxEvents).filter((e) => this.#remember(e.id));
    this.#keep(kept);
  }

  /** Calls `listener` after every check-in and new event; returns the unsubscribe function. */
  subscribe(listener: (update: PortalStateUpdate) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
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
    const from =
      filter.deviceId === undefined ? this.#events : (this.#byDevice.get(filter.deviceId) ?? []);
    return filter.type === undefined ? [...from] : from.filter((e) => e.type === filter.type);
  }

  /** Whether `licenseKey` is the key the device last checked in with (constant-time compare). */
  holdsKey(deviceId: string, licenseKey: string): boolean {
    const known = this.#devices.get(deviceId)?.licenseKey;
    return typeof known === 'string' && sameSecret(licenseKey, known);
  }

  /** Records a check-in; false, and nothing stored, for a new device once the cap is reached. */
  recordCheckIn(checkIn: CheckIn, now = new Date()): boolean {
    const known = this.#devices.get(checkIn.id);
    if (!known && this.#devices.size >= this.#maxDevices) return false;
    const previous = known ?? emptyDevice(checkIn.id);
    this.#devices.set(checkIn.id, {
      ...previous,
      ...checkIn,
      policyId: checkIn.policyId ?? null,
      policyRevision: checkIn.policyRevision ?? null,
      lastCheckInAt: now.toISOString(),
    });
    this.#changed();
    this.#tell({ kind: 'device', deviceId: checkIn.id });
    return true;
  }

  /** Stores the events not seen before and returns how many; only a known device's phase moves. */
  recordEvents(deviceId: string, events: readonly AgentEvent[], now = new Date()): number {
    const fresh = events.filter((event) => this.#remember(event.id));
    const receivedAt = now.toISOString();
    const stored = fresh.map((event) => ({ ...event, deviceId, receivedAt }));
    this.#keep(stored);
    const last = fresh.at(-1);
    const device = this.#devices.get(deviceId);
    if (device && last) {
      this.#devices.set(deviceId, { ...device, lastPhase: last.type, lastEventAt: last.at });
    }
    if (fresh.length > 0) this.#changed();
    for (const event of stored) this.#tell({ kind: 'event', event });
    return fresh.length;
  }

  // Adds events to both lists, then drops the oldest past the limit from both.
  #keep(events: readonly StoredEvent[]): void {
    for (const event of events) {
      this.#events.push(event);
      const own = this.#byDevice.get(event.deviceId);
      if (own) own.push(event);
      else this.#byDevice.set(event.deviceId, [event]);
    }
    const excess = this.#events.length - this.#maxEvents;
    if (excess <= 0) return;
    // The oldest event overall is also the oldest of its own device.
    for (const event of this.#events.splice(0, excess)) {
      const own = this.#byDevice.get(event.deviceId);
      own?.shift();
      if (own?.length === 0) this.#byDevice.delete(event.deviceId);
    }
  }

  #tell(update: PortalStateUpdate): void {
    for (const listener of this.#listeners) listener(update);
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
