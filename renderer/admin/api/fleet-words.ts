import type {
  FleetDevice,
  FleetPhase,
  FleetVersion,
  RetrievalState,
} from '../../../shared/admin-fleet.ts';
import { assertNever } from '../../../shared/assert-never.ts';
import type { AgentEventType } from '../../../shared/protocol.ts';

/** What the portal tells about a Mac beyond `FleetDevice` (electron/portal/fleet/fleet-device-facts.ts). */
export interface FleetDeviceFacts {
  /** Why its last check-in was refused (`LICENSE_REVOKED`...); null or absent when accepted. */
  readonly refusedWith?: string | null;
  /** While downloading: its speed and the seconds left, when two reports give them. */
  readonly download?: { readonly bytesPerSec: number; readonly secondsLeft: number | null } | null;
  /** The version of each golden image it has a VM of; absent from a portal that does not tell. */
  readonly versions?: readonly FleetVersion[];
}

/** A Mac as the admin pages receive it. */
export type AdminFleetDevice = FleetDevice & FleetDeviceFacts;

/** A job phase in the admin's words: the filter buttons and the table's Phase column. */
export const PHASE_WORDS: Readonly<Record<FleetPhase, string>> = {
  idle: 'Idle',
  invited: 'Invited',
  accepted: 'Accepted',
  declined: 'Declined',
  downloading: 'Downloading',
  downloaded: 'Downloaded',
  verified: 'Verified',
  unpacked: 'Unpacked',
  registered: 'Registered',
  'update-offered': 'Update offered',
  'vm-created': 'Made its own VM',
  failed: 'Failed',
};

/** What each agent event means, as the Events page lists it. */
export const EVENT_WORDS: Readonly<Record<AgentEventType, string>> = {
  'checked-in': 'Checked in',
  invited: 'Offered a golden image',
  accepted: 'Accepted the golden image',
  declined: 'Declined the golden image',
  'download-started': 'Download started',
  'download-progress': 'Downloading',
  'download-resumed': 'Download resumed',
  'download-redirected': 'Download redirected',
  'download-restarted': 'Download started over',
  'download-retrying': 'Download retrying',
  'download-finished': 'Download finished',
  'download-failed': 'Download failed',
  verified: 'Checksum verified',
  'verify-failed': 'Checksum did not match',
  unpacked: 'Unpacked',
  registered: 'Corporate VM registered',
  'install-failed': 'Install failed',
  'vm-created': 'Made a VM in the Installation Assistant',
  'update-offered': 'Offered a new version of the golden image',
  'update-accepted': 'Accepted the new version',
  'update-declined': 'Kept the version it has',
  updated: 'Corporate VM updated to the new version',
};

/** A policy retrieval request's state; "offline" means it waits for the Mac's next check-in. */
export const RETRIEVAL_WORDS: Readonly<Record<RetrievalState, string>> = {
  pending: 'Asked, waiting',
  retrieved: 'Retrieved',
  offline: 'At its next check-in',
  'not-responding': 'Not responding',
};

const REFUSAL_WORDS: Readonly<Record<string, string>> = {
  LICENSE_REVOKED: 'Refused: license revoked',
  LICENSE_EXPIRED: 'Refused: license expired',
  LICENSE_UNKNOWN: 'Refused: unknown license key',
};

/** Where a Mac stands with the portal: refused at its check-in, online, or offline. */
export function statusOf(device: AdminFleetDevice): { key: string; words: string } {
  const refused = device.refusedWith;
  if (refused) return { key: 'refused', words: REFUSAL_WORDS[refused] ?? 'Refused at check-in' };
  return device.online ? { key: 'online', words: 'Online' } : { key: 'offline', words: 'Offline' };
}

/** The first eight hex digits of a SHA-256, enough to tell versions apart at a glance. */
export function shortVersion(sha256: string): string {
  return `${sha256.slice(0, 8)}…`;
}

/** Which version a Mac runs, in the admin's words: "Current", "Previous version (3f9a0c1d…)"... */
export function versionWords(version: FleetVersion): string {
  const { state, sha256, currentSha256 } = version;
  switch (state) {
    case 'current':
      return 'Current';
    case 'update-offered':
      return 'Update offered';
    case 'previous':
      return `Previous version (${shortVersion(sha256 ?? '')})`;
    case 'unknown':
      // Unknown either way: its agent did not report the version, or nothing is current to compare.
      if (sha256 === null) return 'Unknown: its agent does not report versions';
      return currentSha256 === null
        ? `${shortVersion(sha256)} (none current for this Mac)`
        : 'Unknown';
    default:
      return assertNever(state);
  }
}
