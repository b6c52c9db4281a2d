import type { z } from 'zod';
import { ARCHES, type Arch } from '../../shared/protocol.ts';
import type { configurationProfileSchema, policyRuleSchema } from './org-config-schema.ts';

/** Where one architecture's image of a golden image is hosted, and its checksum line. */
export interface HostedImage {
  readonly url: string;
  readonly checksum: string;
}

/** A sublicense key (active unless told) and the user group it activates, if any. */
export interface SublicenseSpec {
  readonly key: string;
  readonly state?: 'active' | 'expired' | 'revoked';
  readonly group?: { readonly id: string; readonly name: string };
}

/** A golden image; an architecture without a hosted image is disabled. */
export interface GoldenImageSpec {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly images: Readonly<Partial<Record<Arch, HostedImage>>>;
  readonly assignedTo: readonly string[];
}

/** An organisation: primary key, sublicenses with their groups, golden images, policies, profiles. */
export interface OrgSpec {
  readonly checkInIntervalSec: number;
  readonly primaryKey: string;
  readonly sublicenses: readonly SublicenseSpec[];
  readonly goldenImages: readonly GoldenImageSpec[];
  readonly policies: readonly z.input<typeof policyRuleSchema>[];
  readonly configurationProfiles?: readonly z.input<typeof configurationProfileSchema>[];
}

/** The organisation configuration data (unchecked, for parseOrgConfig) that `spec` describes. */
export function buildOrgData(spec: OrgSpec): Record<string, unknown> {
  return {
    checkInIntervalSec: spec.checkInIntervalSec,
    licenseKeys: [
      { key: spec.primaryKey, kind: 'primary', state: 'active' },
      ...spec.sublicenses.map((s) => ({
        key: s.key,
        kind: 'sublicense',
        state: s.state ?? 'active',
      })),
    ],
    userGroups: spec.sublicenses.flatMap((s) =>
      s.group ? [{ id: s.group.id, name: s.group.name, licenseKey: s.key }] : [],
    ),
    goldenImages: spec.goldenImages.map((g) => ({
      id: g.id,
      name: g.name,
      description: g.description,
      images: Object.fromEntries(ARCHES.map((arch) => [arch, archImage(g.images[arch])])),
      assignedTo: [...g.assignedTo],
    })),
    policies: [...spec.policies],
    configurationProfiles: [...(spec.configurationProfiles ?? [])],
  };
}

function archImage(image: HostedImage | undefined): Record<string, unknown> {
  return image ? { enabled: true, ...image } : { enabled: false };
}
