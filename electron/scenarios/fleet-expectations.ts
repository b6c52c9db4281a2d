import { z } from 'zod';
import { ERROR_CODES } from '../../shared/codes.ts';
import type { FleetResult } from '../fleet/fleet-tally.ts';

const count = z.number().int().nonnegative();
// A count, or a range for outcomes a seeded share of the Macs reaches: `{ min: 40, max: 50 }`.
const countOrRange = z.union([
  count,
  z.strictObject({ min: count.optional(), max: count.optional() }),
]);
type CountOrRange = z.infer<typeof countOrRange>;

/** How many Macs of a fleet scenario end each way; an outcome left out is not checked. */
export const fleetExpectSchema = z.strictObject({
  registered: countOrRange.optional(),
  'already-registered': countOrRange.optional(),
  declined: countOrRange.optional(),
  'no-image': countOrRange.optional(),
  // All failed Macs, or the failed Macs per error code (codes left out must not occur).
  failed: z.union([countOrRange, z.partialRecord(z.enum(ERROR_CODES), countOrRange)]).optional(),
});
/** A fleet scenario's expected counts. */
export type FleetExpect = z.infer<typeof fleetExpectSchema>;

/** One sentence per expected count that the fleet's result does not meet. */
export function checkFleetExpectations(
  expected: FleetExpect,
  result: FleetResult | undefined,
): string[] {
  if (!result) return ['the fleet printed no fleet-result line'];
  const failures: string[] = [];
  const check = (what: string, actual: number, want: CountOrRange | undefined) => {
    if (want !== undefined && !within(actual, want)) {
      failures.push(`${actual} Macs ${what}, expected ${describeCount(want)}`);
    }
  };
  for (const outcome of ['registered', 'already-registered', 'declined', 'no-image'] as const) {
    check(`ended ${outcome}`, result.outcomes[outcome] ?? 0, expected[outcome]);
  }
  const failed = expected.failed;
  if (failed === undefined || typeof failed === 'number' || 'min' in failed || 'max' in failed) {
    check('failed', result.outcomes.failed ?? 0, failed as CountOrRange | undefined);
  } else {
    const codes = new Set([...Object.keys(failed), ...Object.keys(result.errors)]);
    for (const code of codes) {
      const want = (failed as Record<string, CountOrRange>)[code] ?? 0;
      check(`failed with ${code}`, (result.errors as Record<string, number>)[code] ?? 0, want);
    }
  }
  return failures;
}

/** The expected counts in a few words, for the scenario table. */
export function describeFleetExpect(expected: FleetExpect): string {
  return Object.entries(expected)
    .map(([outcome, want]) =>
      outcome === 'failed' && typeof want === 'object' && !('min' in want) && !('max' in want)
        ? Object.entries(want as Record<string, CountOrRange>)
            .map(([code, n]) => `${describeCount(n)} ${code}`)
            .join(', ')
        : `${describeCount(want as CountOrRange)} ${outcome}`,
    )
    .join(', ');
}

/** A fleet's outcome counts in a few words, for the scenario table. */
export function describeFleetResult(result: FleetResult | undefined): string {
  if (!result) return 'stopped';
  const outcomes = Object.entries(result.outcomes).map(([outcome, n]) => `${n} ${outcome}`);
  const errors = Object.entries(result.errors).map(([code, n]) => `${n} ${code}`);
  return [...outcomes, ...errors].join(', ');
}

function within(actual: number, want: CountOrRange): boolean {
  if (typeof want === 'number') return actual === want;
  return actual >= (want.min ?? 0) && actual <= (want.max ?? Infinity);
}

function describeCount(want: CountOrRange): string {
  if (typeof want === 'number') return String(want);
  if (want.max === undefined) return `at least ${want.min ?? 0}`;
  return `${want.min ?? 0}..${want.max}`;
}
