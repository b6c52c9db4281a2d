import { randomUUID } from 'node:crypto';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Arch } from '../../shared/protocol.ts';
import { ProvisimError } from '../../shared/provisim-error.ts';
import { renderDiskDescriptor } from '../archive/disk-descriptor.ts';
import { commitVmBundle, safeVmFileName } from '../archive/vm-bundle.ts';
import { CONFIG_FILE, renderVmConfig, type VmConfig } from '../archive/vm-config.ts';

/** Guest operating systems the Installation Assistant can set a new VM up for. */
export const SUPPORTED_GUEST_OSES = [
  'windows-11',
  'ubuntu-24.04',
  'debian-12',
  'fedora-40',
  'macos',
] as const;

/** What `createVmFromScratch` builds. */
export interface CreateVmOptions {
  vmDir: string;
  name: string;
  os: string;
  arch: Arch;
  cpus?: number;
  memoryMb?: number;
  /** Size of the virtual disk; it is an expanding disk, so it takes no space up front. */
  diskSizeBytes?: number;
  /** Runs before the VM folder's name is claimed and the VM moved in (see commitVmBundle). */
  onClaiming?: (target: string, config: VmConfig) => Promise<void>;
}

/** A VM the Installation Assistant created. */
export interface CreatedVm {
  path: string;
  config: VmConfig;
}

/** What a new VM gets when the user does not choose. */
export const NEW_VM_DEFAULTS = { cpus: 2, memoryMb: 4096, diskSizeBytes: 64 * 2 ** 30 } as const;

function usage(message: string): ProvisimError {
  return new ProvisimError('USAGE', { message });
}

function checkWhole(field: string, value: number, min: number, max: number): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    throw usage(`The ${field} must be a whole number from ${min} to ${max}, not ${value}.`);
  }
  return value;
}

function checkOptions(options: CreateVmOptions): VmConfig & { diskSizeBytes: number } {
  const name = options.name.trim();
  if (name === '') throw usage('The VM name must not be empty.');
  if (!(SUPPORTED_GUEST_OSES as readonly string[]).includes(options.os)) {
    throw usage(
      `The guest OS "${options.os}" is not supported; choose one of ${SUPPORTED_GUEST_OSES.join(', ')}.`,
    );
  }
  return {
    uuid: randomUUID(),
    name,
    arch: options.arch,
    os: options.os,
    cpus: checkWhole('number of CPUs', options.cpus ?? NEW_VM_DEFAULTS.cpus, 1, 32),
    memoryMb: checkWhole(
      'memory size (MB)',
      options.memoryMb ?? NEW_VM_DEFAULTS.memoryMb,
      512,
      131_072,
    ),
    diskSizeBytes: checkWhole(
      'disk size (bytes)',
      options.diskSizeBytes ?? NEW_VM_DEFAULTS.diskSizeBytes,
      1024 * 1024,
      Number.MAX_SAFE_INTEGER,
    ),
  };
}

/** Creates a new, empty VM bundle in `vmDir` (Installation Assistant); it does not register it. */
export async function createVmFromScratch(options: CreateVmOptions): Promise<CreatedVm> {
  const { diskSizeBytes, ...config } = checkOptions(options);
  const vmDir = resolve(options.vmDir);
  await mkdir(dirname(vmDir), { recursive: true });
  // Beside the VM folder, so the final move is a rename on the same disk.
  const staging = await mkdtemp(join(dirname(vmDir), `.${basename(vmDir)}.new-vm-`));
  try {
    const bundle = join(staging, `${safeVmFileName(config.name)}.pvm`);
    const diskDir = join(bundle, 'harddisk.hdd');
    const dataFile = `${randomUUID()}.hds`;
    await mkdir(diskDir, { recursive: true });
    await writeFile(join(bundle, CONFIG_FILE), renderVmConfig(config));
    // An expanding disk, as Parallels makes by default: the size lives in the descriptor and the
    // data file holds only what the guest wrote (nothing yet), so packing it reads nothing.
    await writeFile(
      join(diskDir, 'DiskDescriptor.xml'),
      renderDiskDescriptor(diskSizeBytes, dataFile, 'Compressed'),
    );
    await writeFile(join(diskDir, dataFile), '');
    const onClaiming = options.onClaiming;
    const path = await commitVmBundle(
      bundle,
      vmDir,
      config.name,
      onClaiming && ((target) => onClaiming(target, config)),
    );
    return { path, config };
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}
