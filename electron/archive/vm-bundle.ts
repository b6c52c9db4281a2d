import { lstat, mkdir, readdir, rename, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { Arch } from '../../shared/protocol.ts';
import { ProvisimError } from '../../shared/provisim-error.ts';
import { errnoCode } from './entry-safety.ts';
import { CONFIG_FILE, readVmConfig, type VmConfig } from './vm-config.ts';
import { checkBundle, pickBundle } from './vm-bundle-rules.ts';
import { listVmTree } from './vm-tree.ts';
import { crashPoint } from '../crash-points.ts';

const MAX_NAME_ATTEMPTS = 1000;

async function isFile(path: string): Promise<boolean> {
  const stats = await lstat(path).catch(() => undefined);
  return stats?.isFile() ?? false;
}

/** Finds the VM bundle in an unpacked archive: its single `X.pvm/` folder, or the top level itself. */
export async function locateVmBundle(stagingDir: string): Promise<string> {
  const top = (await readdir(stagingDir, { withFileTypes: true })).map((entry) => ({
    name: entry.name,
    isDir: entry.isDirectory(),
  }));
  const topHasConfig = await isFile(join(stagingDir, CONFIG_FILE));
  return join(stagingDir, pickBundle(top, topHasConfig));
}

/** Checks that a bundle is a usable VM for this Mac and returns its configuration. */
export async function validateVmBundle(bundleDir: string, hostArch: Arch): Promise<VmConfig> {
  const config = await readVmConfig(bundleDir);
  const disks = (await readdir(bundleDir, { withFileTypes: true })).filter(
    (entry) => entry.isDirectory() && /\.hdd$/i.test(entry.name),
  ).length;
  const links = (await listVmTree(bundleDir)).flatMap((entry) =>
    entry.kind === 'symlink' ? [{ rel: entry.rel, target: entry.target ?? '' }] : [],
  );
  return checkBundle({ config, disks, links }, hostArch);
}

/** A VM name made safe as a file name: no separators, control characters or leading dots. */
export function safeVmFileName(name: string): string {
  const cleaned = name
    // eslint-disable-next-line no-control-regex -- control characters are exactly what goes
    .replace(/[\u0000-\u001f\u007f/\\:]/g, '-')
    .trim()
    .replace(/^[.\s-]+/, '')
    .replace(/\.pvm$/i, '')
    .trim();
  // 200 UTF-16 units keeps "<name> (NNN).pvm" under the usual 255-byte limit for most scripts.
  const short = Array.from(cleaned).slice(0, 200).join('').trim();
  return short === '' ? 'Virtual Machine' : short;
}

function candidate(vmDir: string, base: string, attempt: number): string {
  return join(vmDir, attempt === 1 ? `${base}.pvm` : `${base} (${attempt}).pvm`);
}

/**
 * Moves a bundle into `vmDir` as `<Name>.pvm` (or `<Name> (2).pvm`…), never replacing anything.
 * `onClaiming` runs before each name is claimed, to record what is about to happen: a crash at any
 * point then leaves a record of the folder it may have claimed or filled.
 */
export async function commitVmBundle(
  bundleDir: string,
  vmDir: string,
  name: string,
  onClaiming?: (target: string) => Promise<void>,
): Promise<string> {
  const base = safeVmFileName(name);
  try {
    await mkdir(vmDir, { recursive: true });
    for (let attempt = 1; attempt <= MAX_NAME_ATTEMPTS; attempt += 1) {
      const target = candidate(vmDir, base, attempt);
      // Creating the empty folder first claims the name atomically; rename then replaces only
      // that empty folder, which is ours, so a VM that appears meanwhile is never overwritten.
      await onClaiming?.(target);
      try {
        await mkdir(target);
      } catch (error) {
        if (errnoCode(error) === 'EEXIST') continue;
        throw error;
      }
      try {
        crashPoint('after-claim');
        await rename(bundleDir, target);
        return target;
      } catch (error) {
        await rmdir(target).catch(() => undefined);
        const code = errnoCode(error);
        if (code !== 'EEXIST' && code !== 'ENOTEMPTY') throw error;
      }
    }
    throw new Error(`no free name after ${MAX_NAME_ATTEMPTS} attempts`);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new ProvisimError('REGISTRATION_FAILED', {
      message: `The VM "${name}" could not be moved into the VM folder (${reason}). Check that the VM folder is writable and on the same disk as the download, then try again.`,
      cause: error,
    });
  }
}
