/**
 * Where an offered Mac stands with a golden image, in job order: no answer yet, declined,
 * accepted but not downloading yet, downloading, installing (verify, unpack), registered, failed.
 */
export const ROLLOUT_STAGES = [
  'unanswered',
  'declined',
  'accepted',
  'downloading',
  'installing',
  'registered',
  'failed',
] as const;
/** A rollout stage. */
export type RolloutStage = (typeof ROLLOUT_STAGES)[number];

/** Failed Macs whose latest failure had one error code. */
export interface RolloutFailure {
  readonly code: string;
  readonly macs: number;
}

/** Time from a Mac's first invitation to its first registered VM, over the Macs that have both. */
export interface TimeToVm {
  /** Macs measured. */
  readonly samples: number;
  readonly p50Ms: number;
  readonly p90Ms: number;
  readonly p99Ms: number;
}

/** The rollout of one golden image across the fleet (`GET /api/v1/admin/rollouts`). */
export interface RolloutSummary {
  readonly goldenImageId: string;
  /** The name in the organisation, else the name an invitation showed, else the id. */
  readonly name: string;
  /** False for an image the organisation no longer has, listed for the Macs it reached. */
  readonly inOrg: boolean;
  /** Macs invited to this image (each Mac once). */
  readonly offered: number;
  /** Macs that said yes, wherever they are now (downloading, registered, failed...). */
  readonly accepted: number;
  /** Where each offered Mac stands now; the stages add up to `offered`. */
  readonly stages: Readonly<Record<RolloutStage, number>>;
  /** The failed Macs by the code of their latest failure, most first; they add up to `failed`. */
  readonly failures: readonly RolloutFailure[];
  /** Null until a Mac registered a VM of this image. */
  readonly timeToVm: TimeToVm | null;
}

/** Body of `GET /api/v1/admin/rollouts`: the organisation's images in order, then any others. */
export interface RolloutsAnswer {
  readonly rollouts: readonly RolloutSummary[];
}
