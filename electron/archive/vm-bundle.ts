import { lstat, mkdir, readdir, rename, rmdir } from 'node:fs/promises';
import { join, posix } from 'node:path';
import type { Arch } from '../../shared/protocol.ts';
import { ProvisimError } from '../../shared/provisim-error.ts';
import { errnoCode } from './entry-safety.ts';
import { CONFIG_FILE, readVmConfig, type VmConfig } from './vm-config.ts';
import { listVmTree } from './vm-tree.ts';
import { crashPoint } from '../crash-points.ts';

// Finder adds these beside what the admin zipped; they are never part of the VM.
const IGNORED_TOP_LEVEL = new Set(['__MACOSX', '.DS_Store']);
const MAX_NAME_ATTEMPTS = 1000;
const ARCH_LABELS: Readonly<Record<Arch, string>> = {
  arm64: 'Apple silicon Macs (arm64)',
  x86_64: 'Intel Macs (x86_64)',
};
const HOST_LABELS: Readonly<Record<Arch, string>> = {
  arm64: 'Apple silicon (arm64)',
  x86_64: 'an Intel processor (x86_64)',
};

function invalid(message: string): ProvisimError {
  return new ProvisimError('VM_INVALID', { message });
}

async function isFile(path: string): Promise<boolean> {
  const stats = await lstat(path).catch(() => undefined);
  return stats?.isFile() ?? false;
}

/** Finds the VM bundle in an unpacked archive: its single `X.pvm/` folder, or the top level itself. */
export async function locateVmBundle(stagingDir: string): Promise<string> {
  const entries = (await readdir(stagingDir, { withFileTypes: true })).filter(
    (entry) => !IGNORED_TOP_LEVEL.has(entry.name),
  );
  const bundles = entries.filter((entry) => entry.isDirectory() && /\.pvm$/i.test(entry.name));
  if (bundles.length === 1) return join(stagingDir, bundles[0]!.name);
  if (await isFile(join(stagingDir, CONFIG_FILE))) return stagingDir;
  if (bundles.length > 1) {
    throw invalid(
      `The archive holds ${bundles.length} VMs (${bundles.map((b) => b.name).join(', ')}); an image must hold exactly one. Ask your administrator for the right image.`,
    );
  }
  throw invalid(
    'The archive holds no VM: there is neither a single .pvm folder nor a config.pvs at its top. Ask your administrator to re-create it with Prepare for Transfer.',
  );
}

/** Checks that a bundle is a usable VM for this Mac and returns its configuration. */
export async function validateVmBundle(bundleDir: string, hostArch: Arch): Promise<VmConfig> {
  const config = await readVmConfig(bundleDir);
  const disks = (await readdir(bundleDir, { withFileTypes: true })).filter(
    (entry) => entry.isDirectory() && /\.hdd$/i.test(entry.name),
  );
  if (disks.length === 0) {
    throw invalid(
      `The VM "${config.name}" has no virtual disk (no .hdd folder). Ask your administrator to re-create the image.`,
    );
  }
  await assertLinksInside(bundleDir, config.name);
  if (config.arch !== hostArch) {
    throw invalid(
      `The VM "${config.name}" is built for ${ARCH_LABELS[config.arch]}, but this Mac has ${HOST_LABELS[hostArch]}. Ask your administrator for the ${hostArch} image.`,
    );
  }
  return config;
}

// Each link was checked against the archive's folder as it was unpacked; the VM bundle sits one
// level below, and a registered VM must only point at itself.
async function assertLinksInside(bundleDir: string, name: string): Promise<void> {
  for (const entry of await listVmTree(bundleDir)) {
    if (entry.kind !== 'symlink') continue;
    const from = posix.dirname(entry.rel);
    const resolved = posix.normalize(posix.join(from, entry.target ?? ''));
    if (posix.isAbsolute(entry.target ?? '') || resolved === '..' || resolved.startsWith('../')) {
      throw invalid(
        `The VM "${name}" holds a link ${JSON.stringify(entry.rel)} to ${JSON.stringify(entry.target)}, outside the VM; it was refused. Ask your administrator to re-create the image.`,
      );
    }
  }
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
