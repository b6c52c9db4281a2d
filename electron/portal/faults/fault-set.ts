import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import type { RandomGenerator } from 'pure-rand/types/RandomGenerator';
import type { FaultOf, FaultSpec, FaultType } from '../../../shared/faults.ts';
import { admitFault } from './admit-fault.ts';
import { attemptSelected, inPathScope, rangeMatches, type FaultRequest } from './scope.ts';

/** A fault picked for one request, with the attempt number that picked it. */
export interface ActiveFault<T extends FaultType = FaultType> {
  readonly id: string;
  readonly spec: FaultOf<T> & { readonly id: string };
  readonly attempt: number;
}

/** A fault as the admin API lists it. */
export type FaultStatus = FaultSpec & {
  readonly id: string;
  /** Requests in its path and method scope. */
  readonly attempts: number;
  /** Requests it was applied to. */
  readonly hits: number;
};

/** What the fault set tells its portal. */
export interface FaultSetEvents {
  /** A fault was added or removed; the connection-level faults (`down`, `tls`) are handled here. */
  changed?(): void;
  /** A state fault reached its byte count. */
  fired?(spec: FaultOf<'revoke_license' | 'bump_revision'>): void;
}

interface Entry {
  readonly spec: FaultSpec & { readonly id: string };
  attempts: number;
  hits: number;
  imageBytes: number;
  fired: boolean;
  readonly removed: Promise<void>;
  readonly release: () => void;
}

// The fault API and redirect hops must keep working whatever the faults are.
const EXEMPT_PREFIXES = ['/api/v1/faults', '/_provisim/'];

/** The active faults of a portal, their attempt counters and a seeded random generator. */
export class FaultSet {
  readonly #entries = new Map<string, Entry>();
  readonly #rng: RandomGenerator;
  readonly #events: FaultSetEvents;
  readonly #https: boolean;
  #nextId = 1;

  constructor(seed = 1, https = false, events: FaultSetEvents = {}) {
    this.#rng = xoroshiro128plus(seed);
    this.#events = events;
    this.#https = https;
  }

  /** Whether no fault is active: the portal then serves exactly as without faults. */
  get empty(): boolean {
    return this.#entries.size === 0;
  }

  /** Whether a fault of this type is active. */
  has(type: FaultType): boolean {
    for (const entry of this.#entries.values()) if (entry.spec.type === type) return true;
    return false;
  }

  /** The spec as this set would add it now; throws as admitFault does. */
  admit(input: unknown): FaultSpec {
    return admitFault(input, { https: this.#https, taken: (id) => this.#entries.has(id) });
  }

  /** Admits a fault spec as written, adds it and returns its id. */
  add(input: unknown): string {
    const spec = this.admit(input);
    const id = spec.id ?? this.#freshId(spec.type);
    let release = (): void => undefined;
    const removed = new Promise<void>((resolve) => (release = resolve));
    const entry: Entry = {
      spec: { ...spec, id },
      attempts: 0,
      hits: 0,
      imageBytes: 0,
      fired: false,
      removed,
      release,
    };
    this.#entries.set(id, entry);
    // A portal that is down cannot be reached to lift the fault, so it can lift itself.
    if (spec.type === 'down' && spec.forMs !== undefined) {
      const timer = setTimeout(() => this.remove(id), spec.forMs);
      void removed.then(() => clearTimeout(timer));
    }
    this.#events.changed?.();
    return id;
  }

  /** Removes a fault; false when there was none with that id. */
  remove(id: string): boolean {
    const entry = this.#entries.get(id);
    if (!entry) return false;
    this.#entries.delete(id);
    entry.release();
    this.#events.changed?.();
    return true;
  }

  /** Removes every fault. */
  clear(): void {
    if (this.#entries.size === 0) return;
    for (const entry of this.#entries.values()) entry.release();
    this.#entries.clear();
    this.#events.changed?.();
  }

  /** The active faults with their ids. */
  list(): FaultSpec[] {
    return [...this.#entries.values()].map((entry) => entry.spec);
  }

  /** The active faults with their counters. */
  status(): FaultStatus[] {
    return [...this.#entries.values()].map((e) => ({
      ...e.spec,
      attempts: e.attempts,
      hits: e.hits,
    }));
  }

  /** Resolves when the fault is removed (at once when it is not active). */
  removal(id: string): Promise<void> {
    return this.#entries.get(id)?.removed ?? Promise.resolve();
  }

  /**
   * The faults that apply to a request, in the order they were added. Counts the attempt of every
   * fault whose path and method scope the request is in, then checks Range, attempts and toxicity.
   */
  match(request: FaultRequest): ActiveFault[] {
    if (this.#entries.size === 0 || EXEMPT_PREFIXES.some((p) => request.path.startsWith(p))) {
      return [];
    }
    const active: ActiveFault[] = [];
    for (const entry of this.#entries.values()) {
      const { spec } = entry;
      // Connection-level faults act before there is a request: they have no attempts to count.
      if (spec.type === 'down' || spec.type === 'tls') continue;
      if (!inPathScope(spec.scope, request)) continue;
      const attempt = ++entry.attempts;
      if (!rangeMatches(spec.scope, request) || !attemptSelected(spec.scope?.attempts, attempt)) {
        continue;
      }
      // Drawn only for candidates, so the same requests in the same order give the same run.
      if (spec.toxicity < 1 && this.random() >= spec.toxicity) continue;
      entry.hits++;
      active.push({ id: spec.id, spec, attempt } as ActiveFault);
    }
    return active;
  }

  /** Counts image bytes served under a state fault; fires it once when it reaches its count. */
  countImageBytes(fault: ActiveFault, bytes: number): void {
    const entry = this.#entries.get(fault.id);
    const { spec } = fault;
    if (
      !entry ||
      entry.fired ||
      (spec.type !== 'revoke_license' && spec.type !== 'bump_revision')
    ) {
      return;
    }
    entry.imageBytes += bytes;
    if (entry.imageBytes >= spec.afterImageBytes) {
      entry.fired = true;
      this.#events.fired?.(spec);
    }
  }

  /** A number in [0, 1) from the seeded generator. */
  random(): number {
    return uniformFloat64(this.#rng);
  }

  /** An integer in [from, to] from the seeded generator. */
  randomInt(from: number, to: number): number {
    return uniformInt(this.#rng, from, to);
  }

  #freshId(type: FaultType): string {
    let id: string;
    do id = `${type}-${this.#nextId++}`;
    while (this.#entries.has(id));
    return id;
  }
}

/** The active faults of one type. */
export function ofType<T extends FaultType>(
  active: readonly ActiveFault[],
  type: T,
): ActiveFault<T>[] {
  return active.filter((fault) => fault.spec.type === type) as unknown as ActiveFault<T>[];
}

/** The first active fault of one type. */
export function firstOf<T extends FaultType>(
  active: readonly ActiveFault[],
  type: T,
): ActiveFault<T> | undefined {
  return ofType(active, type)[0];
}
