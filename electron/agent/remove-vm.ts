import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import type { VmRecord } from '../../shared/agent-store-schema.ts';
import { ProvisimError } from '../../shared/provisim-error.ts';
import type { HypervisorBackend } from './hypervisor/hypervisor-backend.ts';
import { stagingPrefixOf } from './leftovers.ts';
import type { VmRegistry } from './vm-registry.ts';
import { crashPoint } from '../crash-points.ts';

/**
 * Unregisters a VM and deletes its bundle. A simulated VM's folder is first renamed to this
 * agent's staging prefix, so a crash midway leaves a leftover the next run sweeps, never a
 * half-deleted VM that is still registered. A Parallels VM goes through prlctl; one Parallels no
 * longer lists counts as removed.
 */
export async function removeRegisteredVm(options: {
  readonly registry: VmRegistry;
  readonly backend: HypervisorBackend;
  readonly deviceId: string;
  readonly vm: VmRecord;
}): Promise<void> {
  const { registry, vm, backend } = options;
  if (vm.hypervisor === 'parallels') {
    if (backend.kind !== 'parallels') {
      throw new ProvisimError('PARALLELS_NOT_INSTALLED', {
        message: `"${vm.name}" is registered in Parallels Desktop, which this run does not use (backend ${backend.kind}), so it was left alone. Choose the Parallels Desktop backend, then remove it.`,
      });
    }
    const listed = (await backend.list()).some((known) => known.uuid === vm.uuid);
    if (listed) await backend.remove(vm.uuid, { deleteFiles: true });
    registry.remove(vm.uuid);
    return;
  }
  // Only a VM bundle is ever deleted, whatever a tampered registry may say.
  const bundle = !vm.simulated && basename(vm.path).endsWith('.pvm');
  const doomed = join(dirname(vm.path), `${stagingPrefixOf(options.deviceId)}removing-${vm.uuid}`);
  if (bundle) {
    await rename(vm.path, doomed).catch((error: NodeJS.ErrnoException) => {
      if (error.code !== 'ENOENT') throw error;
    });
  }
  crashPoint('after-previous-moved');
  registry.remove(vm.uuid);
  if (bundle) await rm(doomed, { recursive: true, force: true });
}
