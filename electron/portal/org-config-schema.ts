import { z } from 'zod';
import { faultSpecSchema, type FaultSpec } from '../../shared/faults.ts';

/** The word `assignedTo` and `appliesTo` use for the primary license key. */
export const PRIMARY = 'primary';

/** Default seconds between two scheduled check-ins. */
export const DEFAULT_CHECK_IN_INTERVAL_SEC = 900;

const nonBlank = z.string().refine((s) => s.trim().length > 0, 'must not be empty');

// An admin either links a file elsewhere or a path that this portal serves itself.
const imageUrl = z
  .string()
  .refine((s) => s.trim().length > 0, { message: 'must not be empty', abort: true })
  .refine(
    (s) => s.startsWith('/') || URL.canParse(s),
    'must be an absolute URL or a path starting with "/" (hosted on this portal)',
  );

const id = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'must be letters, digits, ".", "_" or "-"');

/** One license key of the organisation. */
export const licenseKeySchema = z.strictObject({
  key: nonBlank,
  kind: z.enum(['primary', 'sublicense']),
  state: z.enum(['active', 'expired', 'revoked']).default('active'),
});
/** A license key entry. */
export type LicenseKey = z.infer<typeof licenseKeySchema>;

/** A group of users activated with one sublicense key. */
export const userGroupSchema = z.strictObject({
  id,
  name: nonBlank,
  licenseKey: nonBlank,
});
/** A user group. */
export type UserGroup = z.infer<typeof userGroupSchema>;

// The checksum is kept exactly as pasted (it may be a whole `shasum` line); the agent checks it.
const enabledImage = z.strictObject({
  enabled: z.literal(true),
  url: imageUrl,
  checksum: nonBlank,
});
const disabledImage = z.strictObject({
  enabled: z.literal(false),
  url: z.string().optional(),
  checksum: z.string().optional(),
});

/** The image of one architecture inside a golden image. */
export const archImageSchema = z.discriminatedUnion('enabled', [enabledImage, disabledImage]);
/** An architecture's image, enabled or not. */
export type ArchImage = z.infer<typeof archImageSchema>;

/** A golden image: up to one VM image per architecture, assigned to groups. */
export const goldenImageSchema = z.strictObject({
  id,
  name: nonBlank,
  description: z.string().default(''),
  images: z.strictObject({
    arm64: archImageSchema.optional(),
    x86_64: archImageSchema.optional(),
  }),
  assignedTo: z.array(nonBlank).default([]),
});
/** A golden image entry. */
export type GoldenImage = z.infer<typeof goldenImageSchema>;

/** Restrictions applied to groups and to the primary key. */
export const policyRuleSchema = z.strictObject({
  id,
  appliesTo: z.array(nonBlank).default([]),
  restrictToCorporateVms: z.boolean().default(false),
  oneCorporateVmPerUser: z.boolean().default(false),
  preventCorporateVmRemoval: z.boolean().default(false),
});
/** A policy entry. */
export type PolicyRule = z.infer<typeof policyRuleSchema>;

/** A Business Edition "VM for … Mac" payload. */
export const profilePayloadSchema = z.discriminatedUnion('enabled', [
  z.strictObject({
    enabled: z.literal(true),
    name: nonBlank,
    description: z.string().default(''),
    url: imageUrl,
    checksum: nonBlank,
  }),
  z.strictObject({
    enabled: z.literal(false),
    name: z.string().optional(),
    description: z.string().optional(),
    url: z.string().optional(),
    checksum: z.string().optional(),
  }),
]);
/** A profile payload, enabled or not. */
export type ProfilePayload = z.infer<typeof profilePayloadSchema>;

/** A Business Edition configuration profile applied to license keys. */
export const configurationProfileSchema = z.strictObject({
  id,
  appliesToKeys: z.array(nonBlank).default([]),
  vmForIntelMac: profilePayloadSchema.optional(),
  vmForMSeriesMac: profilePayloadSchema.optional(),
});
/** A configuration profile entry. */
export type ConfigurationProfile = z.infer<typeof configurationProfileSchema>;

/** Fields of the configuration that are plain values, not lists. */
export const orgScalarsSchema = z.strictObject({
  checkInIntervalSec: z.number().int().positive().default(DEFAULT_CHECK_IN_INTERVAL_SEC),
  licenseKeys: z.array(z.unknown()),
  userGroups: z.array(z.unknown()).default([]),
  goldenImages: z.array(z.unknown()).default([]),
  policies: z.array(z.unknown()).default([]),
  configurationProfiles: z.array(z.unknown()).default([]),
  faults: z.array(z.unknown()).default([]),
});

/** A checked organisation configuration. */
export interface OrgConfig {
  readonly checkInIntervalSec: number;
  readonly licenseKeys: readonly LicenseKey[];
  readonly userGroups: readonly UserGroup[];
  readonly goldenImages: readonly GoldenImage[];
  readonly policies: readonly PolicyRule[];
  readonly configurationProfiles: readonly ConfigurationProfile[];
  /** Faults the portal injects from the start (see docs/faults.md). */
  readonly faults?: readonly FaultSpec[];
}

/** The list sections of an OrgConfig and the schema of their entries. */
export const ORG_SECTIONS = {
  licenseKeys: licenseKeySchema,
  userGroups: userGroupSchema,
  goldenImages: goldenImageSchema,
  policies: policyRuleSchema,
  configurationProfiles: configurationProfileSchema,
  faults: faultSpecSchema,
} as const;
