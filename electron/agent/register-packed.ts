import type { VmRecord, VmSource } from '../../shared/agent-store-schema.ts';
import type { Arch } from '../../shared/protocol.ts';
import { ProvisimError, isProvisimError } from '../../shared/provisim-error.ts';
import { safeVmFileName } from '../archive/vm-bundle.ts';
import { checkArch } from '../archive/vm-bundle-rules.ts';
import { readVmConfig } from '../archive/vm-config.ts';
import { crashPoint } from '../crash-points.ts';
import type { HypervisorBackend } from './hypervisor/hypervisor-backend.ts';
import { packedRecord, pendingPacked } from './pending-packed.ts';
import type { VmRegistry } from './vm-registry.ts';

/**
 * Registers a verified packed VM (the hypervisor's own format) through the backend, then records
 * it; if it is built for another architecture or the record cannot be written, the hypervisor
 * deletes the VM again, so none is left half-known. A crash note in `home` lets the next run
 * finish what a kill cut short.
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
  let record: VmRecord;
  try {
    const registered = await backend.registerPacked(
      file,
      options.vmDir,
      safeVmFileName(options.name),
      (placed, vmName) => pendingPacked.write(home, { from: file, placed, vmName, arch, source }),
    );
    record = packedRecord(registered, { arch, source });
  } catch (error) {
    // The backend undid its part: the download is back where it was, or gone with the VM.
    await pendingPacked.clear(home);
    throw error;
  }
  try {
    // Only an unpacked VM tells its architecture; a config.pvs Provisim cannot read tells none.
    const built = await readVmConfig(record.path).catch(() => undefined);
    if (built) checkArch(built, arch);
    registry.add(record);
  } catch (error) {
    await backend.remove(record.uuid, { deleteFiles: true }).catch(() => undefined);
    await pendingPacked.clear(home);
    throw isProvisimError(error)
      ? error
      : new ProvisimError('REGISTRATION_FAILED', { cause: error, details: { name: record.name } });
  }
  crashPoint('after-packed-recorded');
  await pendingPacked.clear(home);
  return record;
}
