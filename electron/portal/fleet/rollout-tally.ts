import {
  ROLLOUT_STAGES,
  type RolloutStage,
  type RolloutSummary,
  type TimeToVm,
} from '../../../shared/admin-rollout.ts';
import type { AgentEvent } from '../../../shared/protocol.ts';
import type { StoredEvent } from '../portal-state.ts';
import {
  advance,
  journeyImage,
  newJourney,
  stageOf,
  timeToVm,
  type Journey,
} from './rollout-journey.ts';

/** A golden image of the organisation, as the rollout view names it. */
export interface RolloutImage {
  readonly id: string;
  readonly name: string;
}

/**
 * The rollout of every golden image, kept up to date one event at a time: each event costs one
 * journey step, and a summary costs one look at each Mac's journey, not at the events.
 */
export class RolloutTally {
  // Golden image id → device id → journey.
  readonly #journeys = new Map<string, Map<string, Journey>>();

  /** Moves the journey of the event's Mac and image; events of no image's job are skipped. */
  add(event: AgentEvent & { readonly deviceId: string }): void {
    const imageId = journeyImage(event);
    if (imageId === undefined) return;
    let macs = this.#journeys.get(imageId);
    if (!macs) this.#journeys.set(imageId, (macs = new Map()));
    let journey = macs.get(event.deviceId);
    if (!journey) macs.set(event.deviceId, (journey = newJourney()));
    advance(journey, event);
  }

  /** The organisation's images in its order (reached or not), then other images Macs reported. */
  summaries(images: readonly RolloutImage[]): RolloutSummary[] {
    const known = new Set(images.map((image) => image.id));
    const others = [...this.#journeys.keys()].filter((id) => !known.has(id)).sort();
    return [
      ...images.map((image) => this.#summary(image.id, image.name, true)),
      ...others.map((id) => this.#summary(id, null, false)),
    ];
  }

  #summary(goldenImageId: string, orgName: string | null, inOrg: boolean): RolloutSummary {
    const stages = Object.fromEntries(ROLLOUT_STAGES.map((s) => [s, 0])) as Record<
      RolloutStage,
      number
    >;
    const failures = new Map<string, number>();
    const times: number[] = [];
    let name = orgName;
    const journeys = this.#journeys.get(goldenImageId)?.values() ?? [];
    for (const journey of journeys) {
      const stage = stageOf(journey);
      stages[stage] += 1;
      if (stage === 'failed') {
        const code = journey.failureCode ?? 'UNKNOWN';
        failures.set(code, (failures.get(code) ?? 0) + 1);
      }
      const ms = timeToVm(journey);
      if (ms !== null) times.push(ms);
      name ??= journey.name;
    }
    const offered = ROLLOUT_STAGES.reduce((sum, stage) => sum + stages[stage], 0);
    return {
      goldenImageId,
      name: name ?? goldenImageId,
      inOrg,
      offered,
      accepted: offered - stages.unanswered - stages.declined,
      stages,
      failures: [...failures]
        .map(([code, macs]) => ({ code, macs }))
        .sort((a, b) => b.macs - a.macs || a.code.localeCompare(b.code)),
      timeToVm: percentiles(times),
    };
  }
}

/** The rollouts that `events` (oldest first) tell, for the images given. */
export function deriveRollouts(
  events: Iterable<StoredEvent>,
  images: readonly RolloutImage[],
): RolloutSummary[] {
  const tally = new RolloutTally();
  for (const event of events) tally.add(event);
  return tally.summaries(images);
}

/** p50, p90 and p99 by nearest rank (a value some Mac took), or null without samples. */
export function percentiles(samples: number[]): TimeToVm | null {
  if (samples.length === 0) return null;
  const sorted = samples.sort((a, b) => a - b);
  const rank = (p: number): number => sorted[Math.ceil((p / 100) * sorted.length) - 1]!;
  return { samples: sorted.length, p50Ms: rank(50), p90Ms: rank(90), p99Ms: rank(99) };
}
