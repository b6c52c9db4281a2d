import { posix } from 'node:path';
import type { Arch } from '../../shared/protocol.ts';
import { ProvisimError } from '../../shared/provisim-error.ts';
import type { VmConfig } from './vm-config.ts';

// Finder adds these beside what the admin zipped; they are never part of the VM.
const IGNORED_TOP_LEVEL = new Set(['__MACOSX', '.DS_Store']);
const ARCH_LABELS: Readonly<Record<Arch, string>> = {
  arm64: 'Apple silicon Macs (arm64)',
  x86_64: 'Intel Macs (x86_64)',
};
const HOST_LABELS: Readonly<Record<Arch, string>> = {
  arm64: 'Apple silicon (arm64)',
  x86_64: 'an Intel processor (x86_64)',
};

/** One name at the top of an unpacked archive. */
export interface TopEntry {
  readonly name: string;
  readonly isDir: boolean;
}

/** What the checks of a VM bundle look at, wherever the bundle is (on disk or as listed). */
export interface BundleFacts {
  readonly config: VmConfig;
  /** Folders named *.hdd directly inside the bundle. */
  readonly disks: number;
  /** Links inside the bundle, by bundle-relative path. */
  readonly links: readonly { readonly rel: string; readonly target: string }[];
}

/** The VM_INVALID error with its sentence. */
export function invalidVm(message: string): ProvisimError {
  return new ProvisimError('VM_INVALID', { message });
}

/** Picks the VM bundle among an archive's top entries: its single `X.pvm` folder, or '' for the top itself. */
export function pickBundle(top: readonly TopEntry[], topHasConfig: boolean): string {
  const bundles = top.filter(
    (entry) => !IGNORED_TOP_LEVEL.has(entry.name) && entry.isDir && /\.pvm$/i.test(entry.name),
  );
  if (bundles.length === 1) return bundles[0]!.name;
  if (topHasConfig) return '';
  if (bundles.length > 1) {
    throw invalidVm(
      `The archive holds ${bundles.length} VMs (${bundles.map((b) => b.name).join(', ')}); an image must hold exactly one. Ask your administrator for the right image.`,
    );
  }
  throw invalidVm(
    'The archive holds no VM: there is neither a single .pvm folder nor a config.pvs at its top. Ask your administrator to re-create it with Prepare for Transfer.',
  );
}

/** Checks that a bundle is a usable VM for this Mac: a disk, links only inside, the right arch. */
export function checkBundle({ config, disks, links }: BundleFacts, hostArch: Arch): VmConfig {
  if (disks === 0) {
    throw invalidVm(
      `The VM "${config.name}" has no virtual disk (no .hdd folder). Ask your administrator to re-create the image.`,
    );
  }
  // Each link was checked against the archive's folder as it was unpacked; the VM bundle sits
  // one level below, and a registered VM must only point at itself.
  for (const { rel, target } of links) {
    const resolved = posix.normalize(posix.join(posix.dirname(rel), target));
    if (posix.isAbsolute(target) || resolved === '..' || resolved.startsWith('../')) {
      throw invalidVm(
        `The VM "${config.name}" holds a link ${JSON.stringify(rel)} to ${JSON.stringify(target)}, outside the VM; it was refused. Ask your administrator to re-create the image.`,
      );
    }
  }
  checkArch(config, hostArch);
  return config;
}

/** VM_INVALID when the VM is built for another architecture than this Mac's. */
export function checkArch(config: VmConfig, hostArch: Arch): void {
  if (config.arch === hostArch) return;
  throw invalidVm(
    `The VM "${config.name}" is built for ${ARCH_LABELS[config.arch]}, but this Mac has ${HOST_LABELS[hostArch]}. Ask your administrator for the ${hostArch} image.`,
  );
}
