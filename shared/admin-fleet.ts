import type { Arch } from './protocol.ts';

/** Where a device's policy retrieval request stands, as the admin sees it. */
export const RETRIEVAL_STATES = ['pending', 'retrieved', 'offline', 'not-responding'] as const;
/** A retrieval state. */
export type RetrievalState = (typeof RETRIEVAL_STATES)[number];

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
  readonly arch: Arch;
  /** Shown masked, as in every admin listing. */
  readonly licenseKey: string;
  readonly groupId: string | null;
  readonly agentVersion: string;
  readonly lastCheckInAt: string;
  /** Its retrieval channel is open, or it checked in within two intervals. */
  readonly online: boolean;
  /** The last job phase its events tell (`downloading`, `registered`, `failed`...); null when idle. */
  readonly phase: string | null;
  readonly progress: { readonly transferred: number; readonly total: number | null } | null;
  readonly corporateVms: readonly FleetVm[];
  readonly retrieval: { readonly requestedAt: string; readonly state: RetrievalState } | null;
}

/** Body of `GET /api/v1/admin/devices`. */
export interface FleetAnswer {
  readonly devices: readonly FleetDevice[];
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
  | { readonly type: 'event'; readonly deviceId: string; readonly event: Record<string, unknown> }
  | {
      readonly type: 'verify-progress';
      readonly url: string;
      readonly transferred: number;
      readonly total: number | null;
    };
