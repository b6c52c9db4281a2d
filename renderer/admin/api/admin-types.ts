import type { Arch } from '../../../shared/protocol.ts';

// The portal's entry schemas live in electron/portal (zod, Node side); the page only reads and
// sends these shapes, so they are restated here as the admin API documents them.

/** The image of one architecture inside a golden image. */
export interface ArchImage {
  readonly enabled: boolean;
  readonly url?: string;
  readonly checksum?: string;
}

/** A golden image: up to one VM image per architecture, assigned to groups. */
export interface GoldenImage {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly images: Partial<Record<Arch, ArchImage>>;
  readonly assignedTo: readonly string[];
}

/** A group of users activated with one sublicense key. */
export interface UserGroup {
  readonly id: string;
  readonly name: string;
  readonly licenseKey: string;
}

/** The states a license key can be in. */
export const LICENSE_STATES = ['active', 'expired', 'revoked'] as const;

/** A license key state. */
export type LicenseState = (typeof LICENSE_STATES)[number];

/** One license key of the organisation. */
export interface LicenseKey {
  readonly key: string;
  readonly kind: 'primary' | 'sublicense';
  readonly state: LicenseState;
}

/** The restrictions a policy can switch on, with the words the page shows for them. */
export const POLICY_FLAGS = [
  { name: 'restrictToCorporateVms', label: 'Restrict to corporate VMs' },
  { name: 'oneCorporateVmPerUser', label: 'One corporate VM per user' },
  { name: 'preventCorporateVmRemoval', label: 'Prevent corporate VM removal' },
] as const;

/** The name of a policy flag. */
export type PolicyFlag = (typeof POLICY_FLAGS)[number]['name'];

/** Restrictions applied to groups and to the primary key. */
export type PolicyRule = { readonly id: string; readonly appliesTo: readonly string[] } & {
  readonly [flag in PolicyFlag]: boolean;
};

/** A "VM for … Mac" payload of a configuration profile. */
export interface ProfilePayload {
  readonly enabled: boolean;
  readonly name?: string;
  readonly description?: string;
  readonly url?: string;
  readonly checksum?: string;
}

/** A Business Edition configuration profile. */
export interface ConfigurationProfile {
  readonly id: string;
  readonly name?: string;
  readonly settings: Readonly<Record<string, string | number | boolean>>;
  readonly assignedTo: readonly string[];
  readonly appliesToKeys: readonly string[];
  readonly vmForIntelMac?: ProfilePayload;
  readonly vmForMSeriesMac?: ProfilePayload;
}

/** An active fault as `GET /api/v1/faults` lists it: its spec and how often it applied. */
export interface FaultStatus {
  readonly id: string;
  readonly type: string;
  readonly attempts: number;
  readonly hits: number;
  readonly [field: string]: unknown;
}

/** The word the admin API uses for the primary license key's users in target lists. */
export const PRIMARY_TARGET = 'primary';

/** Names of the architectures as the Management Portal shows them. */
export const ARCH_LABELS: Readonly<Record<Arch, string>> = {
  arm64: 'Apple silicon',
  x86_64: 'Intel',
};
