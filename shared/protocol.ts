import { z } from 'zod';
import { ERROR_CODES } from './codes.ts';

/** CPU architectures a golden image can target, as the portal names them. */
export const ARCHES = ['arm64', 'x86_64'] as const;

/** A CPU architecture: Apple silicon (`arm64`) or Intel (`x86_64`). */
export type Arch = (typeof ARCHES)[number];

/** Schema of a CPU architecture. */
export const archSchema = z.enum(ARCHES);

/** Base path of the client API. */
export const API_PREFIX = '/api/v1';

/** Body of `POST /api/v1/checkin`. */
export const checkInRequestSchema = z.object({
  licenseKey: z.string().min(1).max(200),
  deviceId: z.uuid(),
  hostname: z.string().min(1).max(255),
  // The Mac's serial number, as Apple prints it: letters and digits only.
  serialNumber: z
    .string()
    .regex(/^[A-Z0-9]{8,16}$/)
    .optional(),
  arch: archSchema,
  agentVersion: z.string().min(1).max(50),
});
/** A check-in request. */
export type CheckInRequest = z.infer<typeof checkInRequestSchema>;

/** The golden image offered to this device, exactly as the portal sends it. */
export const goldenImageOfferSchema = z.object({
  id: z.string().min(1).max(200),
  name: z.string().min(1).max(500),
  description: z.string().max(5000).default(''),
  arch: archSchema,
  url: z.string().min(1).max(8192),
  sha256: z.string().min(1).max(8192),
  sizeBytes: z.number().int().nonnegative().optional(),
});
/** A golden image offer as received (URL and checksum not yet validated). */
export type GoldenImageOffer = z.infer<typeof goldenImageOfferSchema>;

/** The policy part of a check-in answer. */
export const policySchema = z.object({
  id: z.string().min(1).max(200),
  // The user group of the key, as the admin named it; absent for the primary key or no group.
  groupName: z.string().min(1).max(200).optional(),
  revision: z.number().int().nonnegative(),
  restrictToCorporateVms: z.boolean(),
  oneCorporateVmPerUser: z.boolean(),
  preventCorporateVmRemoval: z.boolean(),
  goldenImage: goldenImageOfferSchema.nullable(),
});
/** A policy as received from the portal. */
export type Policy = z.infer<typeof policySchema>;

/** Body of a 200 answer to a check-in. */
export const checkInResponseSchema = z.object({
  policy: policySchema,
  checkInIntervalSec: z.number().int().positive(),
});
/** A check-in answer. */
export type CheckInResponse = z.infer<typeof checkInResponseSchema>;

/** Body of every error answer of the client API. */
export const apiErrorSchema = z.object({
  error: z.object({ code: z.enum(ERROR_CODES).or(z.string()), message: z.string() }),
});
/** An error answer. */
export type ApiError = z.infer<typeof apiErrorSchema>;

export {
  AGENT_EVENT_TYPES,
  agentEventSchema,
  type AgentEvent,
  type AgentEventFields,
  type AgentEventOf,
  type AgentEventType,
} from './agent-events.ts';
import { agentEventSchema } from './agent-events.ts';

/** Body of `POST /api/v1/devices/{deviceId}/events`: the key the device checked in with, and events. */
export const eventBatchSchema = z.object({
  licenseKey: z.string().min(1).max(200),
  events: z.array(agentEventSchema).min(1).max(500),
});

/** Answer to an event batch: how many events were new. */
export const eventBatchResponseSchema = z.object({ accepted: z.number().int().nonnegative() });

/** Largest problem report bundle the portal accepts, in bytes. */
export const REPORT_MAX_BYTES = 16 * 1024 * 1024;

/** A problem report's ID, made by the agent with the bundle: PR-, the UTC date, 8 hex digits. */
export const REPORT_ID_PATTERN = /^PR-[0-9]{8}-[0-9A-F]{8}$/;

/**
 * Headers of `POST /api/v1/devices/{deviceId}/reports`, whose body is the `.tar.gz` bundle
 * (`Content-Type: application/gzip`): the key the device checked in with, and the report's ID.
 */
export const REPORT_HEADERS = {
  licenseKey: 'x-provisim-license-key',
  reportId: 'x-provisim-report-id',
} as const;

/** Answer (201) to a problem report upload. */
export const reportReceiptSchema = z.object({
  id: z.string().regex(REPORT_ID_PATTERN),
  receivedAt: z.iso.datetime(),
  sizeBytes: z.number().int().nonnegative(),
});
/** A received problem report. */
export type ReportReceipt = z.infer<typeof reportReceiptSchema>;

/** Commands the portal sends down a device's retrieval channel. */
export const PORTAL_COMMANDS = ['retrieve-policy'] as const;

/** Body of a `200` answer to `GET /api/v1/devices/{deviceId}/commands`: one command to carry out. */
export const portalCommandSchema = z.object({
  command: z.enum(PORTAL_COMMANDS),
  id: z.string().min(1).max(100),
});
/** A command from the portal. */
export type PortalCommand = z.infer<typeof portalCommandSchema>;
