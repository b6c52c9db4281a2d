import type { FleetDevice, FleetVersion } from '../../../shared/admin-fleet.ts';
import type { StoredEvent } from '../portal-state.ts';

/**
 * What the fleet view tells about a Mac beyond `FleetDevice` (shared/admin-fleet.ts), for the
 * admin pages; the renderer restates it in renderer/admin/api/fleet-words.ts.
 */
export interface FleetDeviceFacts {
  /** Why its last check-in was refused (`LICENSE_REVOKED`, `LICENSE_EXPIRED`, `LICENSE_UNKNOWN`); null when accepted. */
  readonly refusedWith: string | null;
  /** While downloading: the speed between its two newest progress reports and the time left. */
  readonly download: DownloadRate | null;
  /** The version of each golden image it has a VM of, against the image's checksum now. */
  readonly versions: readonly FleetVersion[];
}

/** A download's speed and, when its size is known, the seconds left at that speed. */
export interface DownloadRate {
  readonly bytesPerSec: number;
  readonly secondsLeft: number | null;
}

/** A Mac as `GET /devices` and the admin stream send it. */
export type AdminFleetDevice = FleetDevice & FleetDeviceFacts;

/** How long a Mac that never kept a retrieval channel (a one-shot `provisim run`) counts as online after it was last heard from. */
export const ONE_SHOT_ONLINE_MS = 3 * 60_000;

// Events after which the bytes count from a new attempt: the older reports are another speed.
const NEW_ATTEMPT = new Set(['download-restarted', 'download-retrying']);

/**
 * The speed of the current download from its two newest reports (a progress event, or the start
 * or resume that began the attempt) by the agent's clock; null until there are two.
 */
export function downloadRate(
  events: readonly StoredEvent[],
  total: number | null,
): DownloadRate | null {
  const points: { bytes: number; at: number }[] = [];
  for (let i = events.length - 1; i >= 0 && points.length < 2; i -= 1) {
    const event = events[i]!;
    if (event.type === 'download-progress') {
      points.push({ bytes: event.transferred, at: Date.parse(event.at) });
    } else if (event.type === 'download-started' || event.type === 'download-resumed') {
      points.push({ bytes: event.offset, at: Date.parse(event.at) });
      break;
    } else if (NEW_ATTEMPT.has(event.type)) break;
  }
  const [newest, older] = points;
  if (!newest || !older) return null;
  const ms = newest.at - older.at;
  const bytes = newest.bytes - older.bytes;
  if (!(ms > 0) || bytes <= 0) return null;
  const bytesPerSec = (bytes * 1000) / ms;
  const secondsLeft =
    total === null ? null : Math.max(0, Math.round((total - newest.bytes) / bytesPerSec));
  return { bytesPerSec: Math.round(bytesPerSec), secondsLeft };
}
