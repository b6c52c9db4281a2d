import type { DiskMode, DownloadTuning } from '../agent/golden-image-install.ts';
import { PROGRESS_EVENT_INTERVAL_MS } from '../agent/job-reporter.ts';
import { runFleetMac, type FleetMacContext, type MacOutcome } from './fleet-mac.ts';
import type { MacPlan } from './fleet-plan.ts';
import { FleetTally, type FleetResult } from './fleet-tally.ts';

/** Options of one fleet run. */
export interface FleetRunOptions {
  readonly home: string;
  readonly macs: readonly MacPlan[];
  readonly connection: FleetMacContext['connection'];
  readonly tuning?: DownloadTuning;
  readonly disk: DiskMode;
  readonly signal: AbortSignal;
  /** Told as each Mac ends, in the order they end. */
  readonly onMac?: (outcome: MacOutcome) => void;
}

/** A fleet under way: its tally for a live view, and its result once every Mac has ended. */
export interface RunningFleet {
  readonly tally: FleetTally;
  readonly done: Promise<FleetResult>;
}

// The whole fleet sends about this many progress events a second at most, however many Macs it
// has: each one's progress is a rewrite of its outbox on disk and a request to the portal.
const FLEET_PROGRESS_EVENTS_PER_SECOND = 20;

/** Least time between one Mac's progress events: 5 s as for one Mac, longer for a large fleet. */
export function progressIntervalFor(macs: number): number {
  return Math.max(
    PROGRESS_EVENT_INTERVAL_MS,
    Math.round((macs / FLEET_PROGRESS_EVENTS_PER_SECOND) * 1000),
  );
}

/** Runs every Mac of the plan at once in this process, each starting after its ramp delay. */
export function runFleet(options: FleetRunOptions): RunningFleet {
  const tally = new FleetTally(options.macs.map((mac) => mac.hostname));
  const context: FleetMacContext = {
    home: options.home,
    connection: options.connection,
    tuning: options.tuning,
    disk: options.disk,
    progressEveryMs: progressIntervalFor(options.macs.length),
    signal: options.signal,
    onPhase: (mac, phase) => tally.phase(mac.hostname, phase),
    onBytes: (count) => tally.bytes(count),
  };
  const done = Promise.all(
    options.macs.map(async (mac) => {
      const outcome = await runFleetMac(mac, context);
      tally.finish(outcome);
      options.onMac?.(outcome);
    }),
  ).then(() => tally.result(options.signal.aborted));
  return { tally, done };
}
