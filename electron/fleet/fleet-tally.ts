import type { ErrorCode } from '../../shared/codes.ts';
import type { MacOutcome, MacPhase } from './fleet-mac.ts';

/** Three points of a distribution; null when nothing was measured. */
export interface Percentiles {
  readonly p50: number | null;
  readonly p90: number | null;
  readonly p99: number | null;
}

/** The last NDJSON line of `provisim fleet --json`: counts per outcome and error, and spreads. */
export interface FleetResult {
  readonly type: 'fleet-result';
  readonly macs: number;
  /** Macs that did not end as their policy allows: a failure, or a failed Installation Assistant. */
  readonly failedMacs: number;
  readonly outcomes: Readonly<Partial<Record<MacOutcome['outcome'], number>>>;
  readonly errors: Readonly<Partial<Record<ErrorCode, number>>>;
  readonly timeToVmMs: Percentiles;
  readonly retries: Percentiles;
  readonly bytes: Percentiles;
  /** Image bytes every Mac received, together. */
  readonly bytesTotal: number;
  readonly durationMs: number;
  readonly interrupted: boolean;
}

/** The nearest-rank percentiles of `values`. */
export function percentiles(values: readonly number[]): Percentiles {
  const sorted = [...values].sort((a, b) => a - b);
  const at = (p: number) =>
    sorted.length === 0
      ? null
      : sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)]!;
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99) };
}

/** Keeps count of a running fleet: Macs per phase, bytes, outcomes, errors. */
export class FleetTally {
  readonly #phases = new Map<string, MacPhase>();
  readonly #outcomes: MacOutcome[] = [];
  readonly #startedAt = performance.now();
  #bytes = 0;

  constructor(hostnames: readonly string[]) {
    for (const hostname of hostnames) this.#phases.set(hostname, 'waiting');
  }

  /** Notes where a Mac is now. */
  phase(hostname: string, phase: MacPhase): void {
    this.#phases.set(hostname, phase);
  }

  /** Adds image bytes received. */
  bytes(count: number): void {
    this.#bytes += count;
  }

  /** Notes how a Mac ended. */
  finish(outcome: MacOutcome): void {
    this.#phases.set(outcome.hostname, 'done');
    this.#outcomes.push(outcome);
  }

  /** How each Mac that ended did, in the order they ended. */
  get outcomes(): readonly MacOutcome[] {
    return this.#outcomes;
  }

  /** Macs per phase, outcomes so far, bytes and time since the start, for the live summary. */
  snapshot() {
    const phases: Partial<Record<MacPhase, number>> = {};
    for (const phase of this.#phases.values()) phases[phase] = (phases[phase] ?? 0) + 1;
    return {
      phases,
      finished: this.#outcomes.length,
      macs: this.#phases.size,
      bytes: this.#bytes,
      elapsedMs: performance.now() - this.#startedAt,
      ...this.#counts(),
    };
  }

  /** The fleet's result line. */
  result(interrupted: boolean): FleetResult {
    const outcomes = this.#outcomes;
    const { byOutcome, errors } = this.#counts();
    return {
      type: 'fleet-result',
      macs: this.#phases.size,
      failedMacs: outcomes.filter((o) => o.error !== undefined).length,
      outcomes: byOutcome,
      errors,
      timeToVmMs: percentiles(
        outcomes.flatMap((o) => (o.timeToVmMs === undefined ? [] : [Math.round(o.timeToVmMs)])),
      ),
      retries: percentiles(outcomes.map((o) => o.retries)),
      bytes: percentiles(outcomes.map((o) => o.bytes)),
      bytesTotal: outcomes.reduce((sum, o) => sum + o.bytes, 0),
      durationMs: Math.round(performance.now() - this.#startedAt),
      interrupted,
    };
  }

  #counts() {
    const byOutcome: Partial<Record<MacOutcome['outcome'], number>> = {};
    const errors: Partial<Record<ErrorCode, number>> = {};
    for (const { outcome, error } of this.#outcomes) {
      byOutcome[outcome] = (byOutcome[outcome] ?? 0) + 1;
      if (error) errors[error.code] = (errors[error.code] ?? 0) + 1;
    }
    return { byOutcome, errors };
  }
}
