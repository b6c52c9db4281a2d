import type { RolloutSummary } from './admin-rollout.ts';
import type { AgentEvent, Arch } from './protocol.ts';

/** Where a device's policy retrieval request stands, as the admin sees it. */
export const RETRIEVAL_STATES = ['pending', 'retrieved', 'offline', 'not-responding'] as const;
/** A retrieval state. */
export type RetrievalState = (typeof RETRIEVAL_STATES)[number];

/** Job phases of the fleet view in job order; `idle` stands for no job (a null phase). */
export const FLEET_PHASES = [
  'idle',
  'invited',
  'accepted',
  'declined',
  'downloading',
  'downloaded',
  'verified',
  'unpacked',
  'registered',
  'update-offered',
  'vm-created',
  'failed',
] as const;
/** A job phase, or `idle`. */
export type FleetPhase = (typeof FLEET_PHASES)[number];

/** Most devices one page of `GET /api/v1/admin/devices` holds. */
export const MAX_FLEET_PAGE = 1_000;

/** A corporate VM a device reported as registered. */
export interface FleetVm {
  readonly name: string;
  readonly goldenImageId: string | null;
  readonly arch: Arch;
  readonly registeredAt: string;
}

/** One Mac in the fleet view (`GET /api/v1/admin/devices`). */
export interface FleetDevice {
  readonly deviceId: string;
  readonly hostname: string;
  /** As the Mac reported it; null for an agent that sends none. */
  readonly serialNumber: string | null;
  readonly arch: Arch;
  /** Shown masked, as in every admin listing. */
  readonly licenseKey: string;
  readonly groupId: string | null;
  readonly agentVersion: string;
  readonly lastCheckInAt: string;
  /** Its retrieval channel is open, or it checked in within two intervals. */
  readonly online: boolean;
  /** The last job phase its events tell (`downloading`, `registered`, `failed`...); null when idle. */
  readonly phase: Exclude<FleetPhase, 'idle'> | null;
  /** The golden image its latest job is about, else the one its group is assigned; or null. */
  readonly goldenImageId: string | null;
  readonly progress: { readonly transferred: number; readonly total: number | null } | null;
  readonly corporateVms: readonly FleetVm[];
  readonly retrieval: { readonly requestedAt: string; readonly state: RetrievalState } | null;
}

/**
 * Which version of a golden image a Mac runs, against the image's checksum for its architecture
 * now: the current one, an older one, an older one with the current offered, or not known (an
 * agent that did not report the version, or an image with no current checksum for the Mac).
 */
export const VERSION_STATES = ['current', 'update-offered', 'previous', 'unknown'] as const;
/** A version state. */
export type VersionState = (typeof VERSION_STATES)[number];

/** The version of one golden image a Mac's newest VM of it was made from. */
export interface FleetVersion {
  readonly goldenImageId: string;
  /** The SHA-256 it was made from; null when its agent did not report it. */
  readonly sha256: string | null;
  /** The image's SHA-256 for the Mac's architecture now; null when it has none. */
  readonly currentSha256: string | null;
  readonly state: VersionState;
}

/** Macs that run an older version of a golden image: one SHA-256 and how many run it. */
export interface OlderVersion {
  readonly sha256: string;
  readonly macs: number;
}

/** How many Macs run which version of one golden image (`GET /api/v1/admin/image-versions`). */
export interface ImageVersions {
  readonly goldenImageId: string;
  /** Macs with a VM of this image, per version state; each Mac counts once. */
  readonly macs: Readonly<Record<VersionState, number>>;
  /** The older versions Macs run (offered the update or not), most Macs first. */
  readonly older: readonly OlderVersion[];
}

/** Body of `GET /api/v1/admin/image-versions`: the organisation's golden images in order. */
export interface ImageVersionsAnswer {
  readonly images: readonly ImageVersions[];
}

/**
 * Query of `GET /api/v1/admin/devices`, every part optional: without `limit`, every device that
 * matches; `search` is a part of the hostname or serial number, any case.
 */
export interface FleetQuery {
  readonly offset?: number;
  readonly limit?: number;
  readonly phase?: FleetPhase;
  readonly group?: string;
  readonly goldenImage?: string;
  readonly search?: string;
}

/** Body of `GET /api/v1/admin/devices`: one page of the devices that match, first seen first. */
export interface FleetAnswer {
  readonly devices: readonly FleetDevice[];
  /** Devices that match, on every page. */
  readonly total: number;
  /** Place of the first device of this page among those that match. */
  readonly offset: number;
  /** Devices per phase among those that match every filter but the phase. */
  readonly phaseCounts: Readonly<Record<FleetPhase, number>>;
}

/** Body of `GET /api/v1/admin/events`: the newest that match (skipping `offset`), oldest first. */
export interface FleetEventsAnswer {
  readonly events: readonly (AgentEvent & {
    readonly deviceId: string;
    readonly receivedAt: string;
  })[];
  /** Events that match, kept by the portal. */
  readonly total: number;
}

/** Body of `POST /api/v1/admin/devices/retrieve-policy`: the devices to ask. */
export interface RetrievalRequest {
  readonly deviceIds: readonly string[];
}

/** Answer to a retrieval request, one state per device (updated later on the admin stream). */
export interface RetrievalAnswer {
  readonly results: readonly { readonly deviceId: string; readonly state: RetrievalState }[];
}

/** Body of `POST /api/v1/admin/verify-link`. */
export interface VerifyLinkRequest {
  readonly url: string;
  /** When given with `download: true`, the downloaded bytes are hashed and compared. */
  readonly checksum?: string;
  readonly download?: boolean;
}

/** What "Verify link" found out about an image URL. */
export interface VerifyLinkAnswer {
  /** Not an HTML page and not a redirect to a sign-in. */
  readonly direct: boolean;
  readonly needsAuthentication: boolean;
  readonly supportsRanges: boolean;
  readonly sizeBytes: number | null;
  readonly contentType: string | null;
  /** Problems in sentences an admin can act on; empty when the link is good. */
  readonly problems: readonly string[];
  readonly sha256?: string;
  readonly checksumMatches?: boolean;
}

/** Answer to `PUT /api/v1/admin/uploads/{file name}`: where agents download it. */
export interface UploadAnswer {
  readonly url: string;
  readonly checksum: string;
  readonly sizeBytes: number;
}

/** Messages of the admin stream (`GET /api/v1/admin/stream`, server-sent events). */
export type AdminStreamMessage =
  | { readonly type: 'devices'; readonly devices: readonly FleetDevice[] }
  | { readonly type: 'rollouts'; readonly rollouts: readonly RolloutSummary[] }
  | { readonly type: 'event'; readonly deviceId: string; readonly event: Record<string, unknown> }
  | {
      readonly type: 'verify-progress';
      readonly url: string;
      readonly transferred: number;
      readonly total: number | null;
    };
