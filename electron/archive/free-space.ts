import { statfs } from 'node:fs/promises';
import { ProvisimError } from '../../shared/provisim-error.ts';

/** Throws INSUFFICIENT_DISK_SPACE unless the volume of `dir` has room for `bytes` plus `keepFree`. */
export async function assertRoomFor(dir: string, bytes: number, keepFree: number): Promise<void> {
  const stats = await statfs(dir).catch(() => undefined);
  // A volume that cannot be asked (some network shares) is left to the write itself.
  if (!stats) return;
  const free = stats.bavail * stats.bsize;
  if (free >= bytes + keepFree) return;
  throw new ProvisimError('INSUFFICIENT_DISK_SPACE', {
    message: `Not enough free disk space to unpack the VM: ${describe(bytes + keepFree)} more needed${keepFree > 0 ? ` (including ${describe(keepFree)} kept free)` : ''}, ${describe(free)} free. What arrived is kept: free some space and try again to continue.`,
    details: { stagingDir: dir, requiredBytes: bytes + keepFree, freeBytes: free },
  });
}

function describe(bytes: number): string {
  return bytes >= 1e9 ? `${(bytes / 1e9).toFixed(1)} GB` : `${Math.ceil(bytes / 1e6)} MB`;
}
