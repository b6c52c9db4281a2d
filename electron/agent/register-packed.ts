import { stat } from 'node:fs/promises';
import type { VmRecord, VmSource } from '../../shared/agent-store-schema.ts';
import type { Arch } from '../../shared/protocol.ts';
import { ProvisimError, isProvisimError } from '../../shared/provisim-error.ts';
import { safeVmFileName } from '../archive/vm-bundle.ts';
import { checkArch } from '../archive/vm-bundle-rules.ts';
import { readVmConfig } from '../archive/vm-config.ts';
import { crashPoint } from '../crash-points.ts';
import type { HypervisorBackend, RegisteredVm } from './hypervisor/hypervisor-backend.ts';
import { pendingPacked } from './packed-note.ts';
import type { VmRegistry } from './vm-registry.ts';
import { pathExists } from './path-exists.ts';

/** What the hypervisor registered from a packed file, and what Provisim records with it. */
export interface PackedVm {
  readonly registered: RegisteredVm;
  readonly arch: Arch;
  readonly source: VmSource;
  readonly backend: HypervisorBackend;
  readonly registry: VmRegistry;
}

/**
 * Registers a verified packed VM (the hypervisor's own format) through the backend, then records
 * it (see recordPacked). A crash note in `home` lets the next run finish what a kill cut short.
 */
export async function registerPackedImage(options: {
  readonly home: string;
  readonly backend: HypervisorBackend;
  readonly registry: VmRegistry;
  readonly file: string;
  readonly vmDir: string;
  readonly name: string;
  readonly arch: Arch;
  readonly source: VmSource;
}): Promise<VmRecord> {
  const { home, backend, registry, file, arch, source } = options;
  const { size: bytes } = await stat(file);
  let registered: RegisteredVm;
  try {
    registered = await backend.registerPacked(
      file,
      options.vmDir,
      safeVmFileName(options.name),
      (placed, vmName) =>
        pendingPacked.write(home, { from: file, bytes, placed, vmName, arch, source }),
    );
  } catch (error) {
    // The backend moved the file back when it could. If not, its undo may have failed too: the
    // note stays for the next run, which finishes or clears what is left.
    if (await pathExists(file)) await pendingPacked.clear(home);
    throw error;
  }
  let record: VmRecord;
  try {
    record = await recordPacked({ registered, arch, source, backend, registry });
  } catch (error) {
    await pendingPacked.clear(home);
    throw error;
  }
  crashPoint('after-packed-recorded');
  await pendingPacked.clear(home);
  return record;
}

/**
 * Records an unpacked VM the hypervisor registered. A VM built for another architecture, or one
 * the registry cannot take, is deleted from the hypervisor again, so none is left half-known.
 */
export async function recordPacked(vm: PackedVm): Promise<VmRecord> {
  const { registered, backend } = vm;
  const record: VmRecord = {
    uuid: registered.uuid,
    name: registered.name,
    path: registered.path,
    arch: vm.arch,
    source: vm.source,
    registeredAt: new Date().toISOString(),
    state: 'stopped',
    hypervisor: 'parallels',
  };
  try {
    // Only an unpacked VM tells its architecture; a config.pvs Provisim cannot read tells none.
    const built = await readVmConfig(record.path).catch(() => undefined);
    if (built) checkArch(built, vm.arch);
    vm.registry.add(record);
    return record;
  } catch (error) {
    await backend.remove(record.uuid, { deleteFiles: true }).catch(() => undefined);
    throw isProvisimError(error)
      ? error
      : new ProvisimError('REGISTRATION_FAILED', { cause: error, details: { name: record.name } });
  }
}
