import type { VmRecord, VmSource } from '../../shared/agent-store-schema.ts';
import type { Arch } from '../../shared/protocol.ts';
import { ProvisimError, isProvisimError } from '../../shared/provisim-error.ts';
import { safeVmFileName } from '../archive/vm-bundle.ts';
import type { HypervisorBackend } from './hypervisor/hypervisor-backend.ts';
import type { VmRegistry } from './vm-registry.ts';

/**
 * Registers a verified packed VM (the hypervisor's own format) through the backend, then records
 * it; if the record cannot be written, the hypervisor forgets the VM again, so none is left half-known.
 */
export async function registerPackedImage(options: {
  readonly backend: HypervisorBackend;
  readonly registry: VmRegistry;
  readonly file: string;
  readonly vmDir: string;
  readonly name: string;
  readonly arch: Arch;
  readonly source: VmSource;
}): Promise<VmRecord> {
  const { backend, registry } = options;
  const registered = await backend.registerPacked(
    options.file,
    options.vmDir,
    safeVmFileName(options.name),
  );
  const record: VmRecord = {
    uuid: registered.uuid,
    name: registered.name,
    path: registered.path,
    arch: options.arch,
    source: options.source,
    registeredAt: new Date().toISOString(),
    state: 'stopped',
    hypervisor: 'parallels',
  };
  try {
    registry.add(record);
    return record;
  } catch (error) {
    await backend.remove(registered.uuid, { deleteFiles: true }).catch(() => undefined);
    throw isProvisimError(error)
      ? error
      : new ProvisimError('REGISTRATION_FAILED', { cause: error, details: { name: record.name } });
  }
}
