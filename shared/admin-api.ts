/** Base path of the admin API; every call needs `Authorization: Bearer <admin token>`. */
export const ADMIN_PREFIX = '/api/v1/admin';

/** Codes of the organisation rules that span entries, shared by config files and the admin API. */
export const ORG_RULE_CODES = [
  'DUPLICATE_ID',
  'PRIMARY_KEY_COUNT',
  'RESERVED_ID',
  'UNKNOWN_LICENSE_KEY',
  'NOT_A_SUBLICENSE_KEY',
  'LICENSE_KEY_IN_USE',
  'UNKNOWN_GROUP',
  'LISTED_TWICE',
  'GROUP_HAS_GOLDEN_IMAGE',
  'GROUP_HAS_POLICY',
  'TARGET_HAS_PROFILE',
] as const;

/** A cross-entry rule of the organisation configuration. */
export type OrgRuleCode = (typeof ORG_RULE_CODES)[number];

/** Every stable error code of the admin API. */
export const ADMIN_ERROR_CODES = [
  ...ORG_RULE_CODES,
  'BAD_REQUEST',
  'UNAUTHORIZED',
  'FORBIDDEN',
  'NOT_FOUND',
  'NAME_REQUIRED',
  'IMAGE_URL_REQUIRED',
  'IMAGE_URL_INVALID',
  'CHECKSUM_REQUIRED',
  'CHECKSUM_INVALID',
  'ARCH_IMAGE_EXISTS',
  'CONFIRMATION_REQUIRED',
  'IN_USE',
  'STATE_NOT_SAVED',
  'CHECKSUM_MISMATCH',
  'UPLOAD_NAME_INVALID',
  'UPLOAD_EXISTS',
  'UPLOAD_EMPTY',
  'UPLOAD_NOT_SAVED',
  'LINK_UNREACHABLE',
  'LINK_CERTIFICATE_INVALID',
  'REPORT_NOT_FOUND',
] as const;

/** An admin API error code. */
export type AdminErrorCode = (typeof ADMIN_ERROR_CODES)[number];

/** The HTTP status that goes with each admin error code. */
export const ADMIN_ERROR_STATUS: Readonly<Record<AdminErrorCode, number>> = {
  BAD_REQUEST: 400,
  RESERVED_ID: 400,
  LISTED_TWICE: 400,
  NAME_REQUIRED: 400,
  IMAGE_URL_REQUIRED: 400,
  IMAGE_URL_INVALID: 400,
  CHECKSUM_REQUIRED: 400,
  CHECKSUM_INVALID: 400,
  CONFIRMATION_REQUIRED: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  DUPLICATE_ID: 409,
  PRIMARY_KEY_COUNT: 409,
  UNKNOWN_LICENSE_KEY: 409,
  NOT_A_SUBLICENSE_KEY: 409,
  LICENSE_KEY_IN_USE: 409,
  UNKNOWN_GROUP: 409,
  GROUP_HAS_GOLDEN_IMAGE: 409,
  GROUP_HAS_POLICY: 409,
  TARGET_HAS_PROFILE: 409,
  ARCH_IMAGE_EXISTS: 409,
  IN_USE: 409,
  STATE_NOT_SAVED: 500,
  CHECKSUM_MISMATCH: 422,
  UPLOAD_NAME_INVALID: 400,
  UPLOAD_EXISTS: 409,
  UPLOAD_EMPTY: 400,
  UPLOAD_NOT_SAVED: 500,
  LINK_UNREACHABLE: 502,
  LINK_CERTIFICATE_INVALID: 502,
  REPORT_NOT_FOUND: 404,
};

/** One thing wrong with a change, as the error body lists it. */
export interface AdminProblem {
  readonly code: AdminErrorCode;
  /** The field, relative to the entry sent (like `images.arm64.url`), or the org section. */
  readonly path: string;
  readonly reason: string;
}

/** Body of an admin API error: a code, a sentence an admin can act on, and every problem. */
export interface AdminErrorBody {
  readonly error: {
    readonly code: AdminErrorCode;
    readonly message: string;
    readonly problems?: readonly AdminProblem[];
  };
}

/** A policy whose revision a change bumped. */
export interface ChangedPolicy {
  readonly id: string;
  readonly revision: number;
}

/** What every successful change answers besides the entry. */
export interface ChangeAnswer {
  /** Policies whose check-in answer changed, with their new revision; agents see it next time. */
  readonly changedPolicies: readonly ChangedPolicy[];
}

/** Answer to a confirmed golden image deletion. */
export interface GoldenImageDeleted extends ChangeAnswer {
  readonly deleted: string;
  /** Groups (or `primary`) that had this image and now have none. */
  readonly unassignedGroups: readonly string[];
  /** Of those, the groups restricted to corporate VMs: their users cannot create VMs now. */
  readonly strandedGroups: readonly string[];
  /** A sentence about the stranded groups; null when there are none. */
  readonly warning: string | null;
}

/** One policy in the overview, with the license keys it answers. */
export interface PolicyOverview {
  readonly id: string;
  readonly revision: number;
  readonly licenseKeys: readonly string[];
}

/** Body of `GET /api/v1/admin/overview`. */
export interface AdminOverview {
  /** The organisation-wide revision, bumped when the whole configuration is replaced. */
  readonly revision: number;
  readonly counts: Readonly<Record<string, number>>;
  readonly policies: readonly PolicyOverview[];
}

/** A problem report the portal keeps, as `GET /api/v1/admin/reports` lists it. */
export interface AdminReport {
  /** The ID the agent gave it, like `PR-20250301-1A2B3C4D`. */
  readonly id: string;
  readonly deviceId: string;
  /** The Mac's host name from its last check-in; null when the portal has none. */
  readonly hostname: string | null;
  readonly receivedAt: string;
  readonly sizeBytes: number;
}

/** Body of `GET /api/v1/admin/reports`: the kept reports, newest first. */
export interface AdminReportList {
  readonly reports: readonly AdminReport[];
}
