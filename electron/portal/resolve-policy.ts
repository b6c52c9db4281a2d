import type { Arch, GoldenImageOffer, Policy } from '../../shared/protocol.ts';
import { ProvisimError } from '../../shared/provisim-error.ts';
import {
  PRIMARY,
  type ConfigurationProfile,
  type LicenseKey,
  type OrgConfig,
  type ProfilePayload,
} from './org-config-schema.ts';

/** What a device asks about. */
export interface ResolveRequest {
  readonly licenseKey: string;
  readonly arch: Arch;
}

/** Facts of the portal that the answer depends on. */
export interface ResolveContext {
  /** The revision to answer: one for every policy, or per policy id. */
  readonly revision: number | ((policyId: string) => number);
  /** Base for URLs hosted on this portal, like `http://127.0.0.1:8080`. */
  readonly baseUrl: string;
}

/** The Parallels Desktop settings of the configuration profile applied to the key. */
export interface ProfileSettings {
  readonly id: string;
  readonly name: string;
  readonly settings: Readonly<Record<string, string | number | boolean>>;
}

/** The policy for one device, and the group its license key belongs to. */
export interface Resolution {
  readonly policy: Policy & { readonly configurationProfile?: ProfileSettings };
  /** The group id, `primary` for the primary key, or null for a sublicense key without group. */
  readonly group: string | null;
}

const PROFILE_PAYLOAD: Readonly<Record<Arch, 'vmForMSeriesMac' | 'vmForIntelMac'>> = {
  arm64: 'vmForMSeriesMac',
  x86_64: 'vmForIntelMac',
};

/**
 * Finds the policy for a license key and CPU architecture: the golden image assigned to the key's
 * group (or to the primary key), else the configuration profile applied to the key. Throws a
 * ProvisimError for an unknown, expired or revoked key.
 */
export function resolvePolicy(
  org: OrgConfig,
  request: ResolveRequest,
  context: ResolveContext,
): Resolution {
  const key = org.licenseKeys.find((k) => k.key === request.licenseKey);
  if (!key) throw new ProvisimError('LICENSE_UNKNOWN');
  if (key.state === 'expired') throw new ProvisimError('LICENSE_EXPIRED');
  if (key.state === 'revoked') throw new ProvisimError('LICENSE_REVOKED');
  return resolveForKey(org, key, request.arch, context);
}

/** The policy a license key of the organisation gets for an architecture, whatever its state. */
export function resolveForKey(
  org: OrgConfig,
  key: LicenseKey,
  arch: Arch,
  context: ResolveContext,
): Resolution {
  const group =
    key.kind === 'primary'
      ? PRIMARY
      : (org.userGroups.find((g) => g.licenseKey === key.key)?.id ?? null);
  const rule = group === null ? undefined : org.policies.find((p) => p.appliesTo.includes(group));
  const flags = {
    restrictToCorporateVms: rule?.restrictToCorporateVms ?? false,
    oneCorporateVmPerUser: rule?.oneCorporateVmPerUser ?? false,
    preventCorporateVmRemoval: rule?.preventCorporateVmRemoval ?? false,
  };
  const profile = org.configurationProfiles.find(
    (p) => p.appliesToKeys.includes(key.key) || (group !== null && p.assignedTo.includes(group)),
  );
  const settings = profile && Object.keys(profile.settings).length > 0 ? profile : undefined;
  const holderId = group === null ? 'default' : group === PRIMARY ? PRIMARY : `group:${group}`;
  const { revision } = context;
  const groupName =
    group === null || group === PRIMARY
      ? undefined
      : org.userGroups.find((g) => g.id === group)?.name;
  const policy = (id: string, goldenImage: GoldenImageOffer | null): Resolution => ({
    policy: {
      id,
      ...(groupName && { groupName }),
      revision: typeof revision === 'number' ? revision : revision(id),
      ...flags,
      goldenImage,
      ...(settings && {
        configurationProfile: {
          id: settings.id,
          name: settings.name ?? settings.id,
          settings: settings.settings,
        },
      }),
    },
    group,
  });

  const golden =
    group === null ? undefined : org.goldenImages.find((g) => g.assignedTo.includes(group));
  if (golden) {
    const image = golden.images[arch];
    if (!image?.enabled) return policy(holderId, null);
    return policy(holderId, {
      id: golden.id,
      name: golden.name,
      description: golden.description,
      arch,
      url: absoluteUrl(image.url, context.baseUrl),
      sha256: image.checksum,
    });
  }
  if (profile) {
    return policy(`profile:${profile.id}`, profileOffer(profile, arch, context.baseUrl));
  }
  return policy(holderId, null);
}

/** Makes a configured image URL absolute; paths starting with `/` are hosted on this portal. */
export function absoluteUrl(url: string, baseUrl: string): string {
  // Absolute URLs go out exactly as the admin typed them: judging them is the agent's job.
  return url.startsWith('/') ? new URL(url, `${baseUrl}/`).href : url;
}

function profileOffer(
  profile: ConfigurationProfile,
  arch: Arch,
  baseUrl: string,
): GoldenImageOffer | null {
  const payload: ProfilePayload | undefined = profile[PROFILE_PAYLOAD[arch]];
  if (!payload?.enabled) return null;
  return {
    id: `profile:${profile.id}`,
    name: payload.name,
    description: payload.description,
    arch,
    url: absoluteUrl(payload.url, baseUrl),
    sha256: payload.checksum,
  };
}
