import {
  VERSION_STATES,
  type FleetVersion,
  type ImageVersions,
  type VersionState,
} from '../../../shared/admin-fleet.ts';
import type { Arch } from '../../../shared/protocol.ts';
import type { OrgConfig } from '../org-config-schema.ts';
import type { StoredEvent } from '../portal-state.ts';

// What one Mac's events tell about one golden image: the version it runs, and the version it was
// last offered and has not declined yet (null when none).
interface Running {
  sha256: string | null;
  offered: string | null;
}

// 64 hex digits, alone or as the first token of a pasted `shasum -a 256` line.
const SHA256_FIRST = /^([0-9a-fA-F]{64})(?:\s|$)/;
const PROFILE_PREFIX = 'profile:';

/**
 * The version of each golden image a Mac has a VM of, first registered first: the newest
 * `registered`/`updated` tells the SHA-256, an update offer tells the one it updates from.
 */
export function versionsOf(
  events: readonly StoredEvent[],
  arch: Arch,
  org: OrgConfig,
): FleetVersion[] {
  const running = new Map<string, Running>();
  for (const event of events) {
    switch (event.type) {
      case 'registered':
        running.set(event.goldenImageId, { sha256: event.sha256 ?? null, offered: null });
        break;
      case 'updated':
        running.set(event.goldenImageId, { sha256: event.sha256, offered: null });
        break;
      // The agent offers an update only for a VM it has, and says which version that VM is.
      case 'update-offered':
        running.set(event.goldenImageId, { sha256: event.fromSha256, offered: event.toSha256 });
        break;
      case 'update-declined': {
        const vm = running.get(event.goldenImageId);
        if (vm) vm.offered = null;
        break;
      }
      default:
        break;
    }
  }
  return [...running].map(([goldenImageId, vm]) => {
    const currentSha256 = currentSha256Of(org, goldenImageId, arch);
    const state = stateOf(vm, currentSha256);
    return { goldenImageId, sha256: vm.sha256, currentSha256, state };
  });
}

function stateOf({ sha256, offered }: Running, current: string | null): VersionState {
  if (sha256 === null || current === null) return 'unknown';
  if (sha256 === current) return 'current';
  return offered === current ? 'update-offered' : 'previous';
}

/**
 * The SHA-256 (lower-case hex) a golden image, or a configuration profile's payload
 * (`profile:<id>`), offers an architecture now; null when it offers none or the checksum is no SHA-256.
 */
export function currentSha256Of(org: OrgConfig, goldenImageId: string, arch: Arch): string | null {
  const image = goldenImageId.startsWith(PROFILE_PREFIX)
    ? profilePayload(org, goldenImageId.slice(PROFILE_PREFIX.length), arch)
    : org.goldenImages.find((g) => g.id === goldenImageId)?.images[arch];
  if (!image?.enabled) return null;
  return SHA256_FIRST.exec(image.checksum.trim())?.[1]?.toLowerCase() ?? null;
}

function profilePayload(org: OrgConfig, profileId: string, arch: Arch) {
  const profile = org.configurationProfiles.find((p) => p.id === profileId);
  return arch === 'arm64' ? profile?.vmForMSeriesMac : profile?.vmForIntelMac;
}

/** How many Macs run which version of each of the organisation's golden images. */
export function imageVersions(
  devices: readonly { readonly versions: readonly FleetVersion[] }[],
  org: OrgConfig,
): ImageVersions[] {
  return org.goldenImages.map(({ id }) => {
    const macs = Object.fromEntries(VERSION_STATES.map((s) => [s, 0])) as Record<
      VersionState,
      number
    >;
    const older = new Map<string, number>();
    for (const device of devices) {
      const version = device.versions.find((v) => v.goldenImageId === id);
      if (!version) continue;
      macs[version.state] += 1;
      const { state, sha256 } = version;
      if ((state === 'previous' || state === 'update-offered') && sha256 !== null) {
        older.set(sha256, (older.get(sha256) ?? 0) + 1);
      }
    }
    return {
      goldenImageId: id,
      macs,
      older: [...older]
        .map(([sha256, count]) => ({ sha256, macs: count }))
        .sort((a, b) => b.macs - a.macs || a.sha256.localeCompare(b.sha256)),
    };
  });
}
