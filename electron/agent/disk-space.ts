import { stat, statfs } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { ProvisimError } from '../../shared/provisim-error.ts';

/** Bytes that will be written under a folder (which may not exist yet). */
export interface SpaceNeed {
  path: string;
  bytes: number;
}

/** Options of assertDiskSpace. */
export interface DiskSpaceOptions {
  /** Kept free on each volume so the Mac stays usable (default 512 MiB). */
  headroomBytes?: number;
  /** Free bytes of the volume holding an existing path (default: the volume's statfs). */
  freeBytes?: (path: string) => Promise<number>;
}

/** Default free space left on each volume after the work. */
export const DEFAULT_HEADROOM_BYTES = 512 * 1024 * 1024;

/** The path itself or its closest ancestor that exists, with its device id. */
export async function nearestExisting(path: string): Promise<{ path: string; dev: number }> {
  let current = resolve(path);
  for (;;) {
    try {
      return { path: current, dev: (await stat(current)).dev };
    } catch (error) {
      const parent = dirname(current);
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT' || parent === current) throw error;
      current = parent;
    }
  }
}

/** Free bytes of the volume holding `path` (which may not exist yet), as `df` counts them for a user. */
export async function freeDiskBytes(path: string): Promise<number> {
  // statfs asks the kernel; check-disk-space spawned `df`, ~9 ms of blocked event loop per call.
  const volume = await statfs((await nearestExisting(path)).path);
  return volume.bavail * volume.bsize;
}

/** Human size in decimal units, as Finder shows it. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  return `${Math.ceil(bytes / 1e6)} MB`;
}

/** Throws INSUFFICIENT_DISK_SPACE unless each volume has room for its needs plus headroom. */
export async function assertDiskSpace(
  needs: SpaceNeed[],
  options: DiskSpaceOptions = {},
): Promise<void> {
  const headroom = options.headroomBytes ?? DEFAULT_HEADROOM_BYTES;
  const freeBytes = options.freeBytes ?? freeDiskBytes;
  // Needs on one volume add up: the download and the unpacked VM often share a disk.
  const volumes = new Map<number, { path: string; folders: string[]; bytes: number }>();
  for (const need of needs) {
    if (need.bytes <= 0) continue;
    const existing = await nearestExisting(need.path);
    const volume = volumes.get(existing.dev) ?? { path: existing.path, folders: [], bytes: 0 };
    volume.bytes += need.bytes;
    volume.folders.push(resolve(need.path));
    volumes.set(existing.dev, volume);
  }
  for (const volume of volumes.values()) {
    const required = volume.bytes + headroom;
    const free = await freeBytes(volume.path);
    if (free >= required) continue;
    throw new ProvisimError('INSUFFICIENT_DISK_SPACE', {
      message:
        `Not enough free disk space for ${volume.folders.join(' and ')}: ` +
        `${formatBytes(required)} needed (including ${formatBytes(headroom)} kept free), ` +
        `${formatBytes(free)} free. Free some space and try again.`,
      details: { folders: volume.folders, requiredBytes: required, freeBytes: free },
    });
  }
}
