import { z } from 'zod';
import { faultSpecSchema, type FaultSpec } from '../../shared/faults.ts';
import { archImageSchema, id, nonBlank, profilePayloadSchema } from './org-fields.ts';

export {
  MISSING_REASONS,
  archImageSchema,
  profilePayloadSchema,
  type ArchImage,
  type ProfilePayload,
} from './org-fields.ts';

/** The word `assignedTo` and `appliesTo` use for the primary license key. */
export const PRIMARY = 'primary';

/** Default seconds between two scheduled check-ins. */
export const DEFAULT_CHECK_IN_INTERVAL_SEC = 900;

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
  // Sent to agents in the policy, whose schema takes up to 200 characters.
  name: nonBlank.max(200, 'must be at most 200 characters'),
  licenseKey: nonBlank,
});
/** A user group. */
export type UserGroup = z.infer<typeof userGroupSchema>;

/** A golden image: up to one VM image per architecture, assigned to groups. */
export const goldenImageSchema = z.strictObject({
  id,
  // Sent to agents in the offer, whose schema takes a name up to 500 and a description up to 5000.
  name: nonBlank.max(500, 'must be at most 500 characters'),
  description: z.string().max(5000, 'must be at most 5000 characters').default(''),
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

// Parallels Desktop settings are named like `vm.startupView`; values stay plain scalars.
const settingName = z.string().regex(/^[A-Za-z][A-Za-z0-9._-]*$/, 'must be a setting name');

/**
 * A Business Edition configuration profile: Parallels Desktop settings and "VM for … Mac"
 * payloads, applied to license keys or to groups (through their key).
 */
export const configurationProfileSchema = z.strictObject({
  id,
  name: z.string().optional(),
  settings: z.record(settingName, z.union([z.string(), z.number(), z.boolean()])).default({}),
  assignedTo: z.array(nonBlank).default([]),
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
