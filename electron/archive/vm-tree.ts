import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';

/** One item of a VM folder, as it goes into an archive. */
export interface TreeEntry {
  /** Path relative to the VM folder with `/` separators; `.` is the folder itself. */
  readonly rel: string;
  readonly kind: 'dir' | 'file' | 'symlink';
  /** Permission bits as an archive should record them (no setuid, owner can always use it). */
  readonly mode: number;
  readonly size: number;
  readonly target?: string;
}

/** Permission bits normalised so the umask of the machine that packs does not change the archive. */
export function portableMode(mode: number, isDir: boolean): number {
  let bits = ((mode & 0o777) | 0o600) & ~0o022;
  if (isDir) bits |= 0o700 | ((bits & 0o044) >> 2);
  return bits;
}

async function walk(root: string, rel: string, into: TreeEntry[]): Promise<void> {
  const names = (await readdir(rel === '.' ? root : join(root, rel))).sort();
  for (const name of names) {
    const childRel = rel === '.' ? name : `${rel}/${name}`;
    const path = join(root, childRel);
    const stats = await lstat(path);
    if (stats.isDirectory()) {
      into.push({ rel: childRel, kind: 'dir', mode: portableMode(stats.mode, true), size: 0 });
      await walk(root, childRel, into);
    } else if (stats.isFile()) {
      const mode = portableMode(stats.mode, false);
      into.push({ rel: childRel, kind: 'file', mode, size: stats.size });
    } else if (stats.isSymbolicLink()) {
      const target = await readlink(path);
      into.push({ rel: childRel, kind: 'symlink', mode: 0o777, size: 0, target });
    }
    // Sockets, pipes and devices (a running VM's leftovers) are not part of a transfer.
  }
}

/** Lists a VM folder depth-first in a stable, sorted order, the folder itself first. */
export async function listVmTree(root: string): Promise<TreeEntry[]> {
  const stats = await lstat(root);
  const entries: TreeEntry[] = [
    { rel: '.', kind: 'dir', mode: portableMode(stats.mode, true), size: 0 },
  ];
  await walk(root, '.', entries);
  return entries;
}
