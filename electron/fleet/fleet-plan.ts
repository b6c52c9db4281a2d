import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { createHash } from 'node:crypto';
import type { Arch } from '../../shared/protocol.ts';
import { randomSerialNumber } from '../agent/identity.ts';

/** How a fleet is made up and behaves; every choice follows from `seed`. */
export interface FleetPlanOptions {
  readonly macs: number;
  /** License keys with their weights; Macs take them in proportion, in a seeded order. */
  readonly licenses: readonly { readonly key: string; readonly weight: number }[];
  /** Share of each architecture, e.g. { arm64: 70, x86_64: 30 }. */
  readonly archMix: Readonly<Record<Arch, number>>;
  /** Chance that a Mac accepts the invitation, 0..1. */
  readonly acceptRate: number;
  /** Macs start evenly spread over this many milliseconds. */
  readonly rampMs: number;
  /** Time a Mac's user takes to answer the invitation, drawn in [min, max]. */
  readonly thinkMs: { readonly min: number; readonly max: number };
  readonly seed: number;
  /** First characters of every host name. */
  readonly hostnamePrefix?: string;
}

/** One simulated Mac: who it is and what its user will do. */
export interface MacPlan {
  readonly index: number;
  readonly hostname: string;
  readonly serialNumber: string;
  readonly arch: Arch;
  readonly licenseKey: string;
  readonly startDelayMs: number;
  readonly thinkMs: number;
  readonly accepts: boolean;
}

/** The fleet's Macs, the same for the same options: a rerun continues the same Macs. */
export function planFleet(options: FleetPlanOptions): MacPlan[] {
  const rng = xoroshiro128plus(options.seed);
  const next = (): number => uniformFloat64(rng);
  const digits = Math.max(4, String(options.macs).length);
  const prefix = options.hostnamePrefix ?? 'QA-MBP-';
  return Array.from({ length: options.macs }, (_, index) => {
    // Drawn in a fixed order per Mac, so a Mac's choices do not depend on the fleet's size.
    const arch = pick(options.archMix, next());
    const licenseKey = pickLicense(options.licenses, next());
    const { min, max } = options.thinkMs;
    const thinkMs = Math.round(min + (max - min) * next());
    const accepts = next() < options.acceptRate;
    return {
      index,
      hostname: `${prefix}${String(index + 1).padStart(digits, '0')}`,
      serialNumber: serialOf(options.seed, index),
      arch,
      licenseKey,
      startDelayMs: options.macs > 1 ? Math.round((options.rampMs * index) / options.macs) : 0,
      thinkMs,
      accepts,
    };
  });
}

/** The Macs of shard `index` of `count` (from 0): every count-th Mac from the index-th. */
export function shareOf(
  plan: readonly MacPlan[],
  shard: { readonly index: number; readonly count: number },
): MacPlan[] {
  return plan.filter((mac) => mac.index % shard.count === shard.index);
}

// From the seed and the index alone, so adding it changed no other draw of the plan.
function serialOf(seed: number, index: number): string {
  const bytes = createHash('sha256').update(`provisim-fleet/${seed}/${index}`).digest();
  let at = 0;
  return randomSerialNumber(() => bytes[at++]! / 256);
}

function pick(mix: Readonly<Record<Arch, number>>, draw: number): Arch {
  const total = mix.arm64 + mix.x86_64;
  return draw * total < mix.arm64 ? 'arm64' : 'x86_64';
}

function pickLicense(licenses: FleetPlanOptions['licenses'], draw: number): string {
  const total = licenses.reduce((sum, l) => sum + l.weight, 0);
  let left = draw * total;
  for (const license of licenses) {
    left -= license.weight;
    if (left < 0) return license.key;
  }
  return licenses.at(-1)!.key;
}
