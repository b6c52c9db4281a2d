import { rename } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { z } from 'zod';
import type { VmRecord } from '../../shared/agent-store-schema.ts';
import { crashPoint } from '../crash-points.ts';
import { CrashNote } from './crash-note.ts';
import type { HypervisorBackend } from './hypervisor/hypervisor-backend.ts';
import type { VmRegistry } from './vm-registry.ts';
import { pathExists } from './path-exists.ts';

const renameNote = new CrashNote(
  'renaming.json',
  z.object({ uuid: z.string(), from: z.string(), to: z.string() }),
);

/**
 * After a Replace removed the previous VM, gives the new one its name back when the new one had
 * to take "Name (2)" beside it; otherwise, or when the name is taken again, leaves it as it is.
 */
export async function reclaimName(options: {
  readonly home: string;
  readonly registry: VmRegistry;
  readonly backend: HypervisorBackend;
  readonly vm: VmRecord;
  readonly previous: VmRecord;
}): Promise<VmRecord> {
  const { vm, previous, registry } = options;
  const numbered = /^(.*) \(\d+\)$/.exec(vm.name)?.[1];
  if (numbered !== previous.name) return vm;
  if (vm.hypervisor === 'parallels') {
    if (!options.backend.rename) return vm;
    const renamed = await options.backend.rename(vm.uuid, previous.name);
    return registry.update(vm.uuid, { name: renamed.name, path: renamed.path }) ?? vm;
  }
  const to = join(dirname(vm.path), `${previous.name}.pvm`);
  if (vm.simulated) return registry.update(vm.uuid, { name: previous.name, path: to }) ?? vm;
  if (await pathExists(to)) return vm;
  // Noted first: a crash between the rename and the registry write is finished at the next start.
  await renameNote.write(options.home, { uuid: vm.uuid, from: vm.path, to });
  await rename(vm.path, to);
  crashPoint('after-vm-renamed');
  const renamed = registry.update(vm.uuid, { name: basename(to, '.pvm'), path: to }) ?? vm;
  await renameNote.clear(options.home);
  return renamed;
}

/** Finishes a rename a crash interrupted, so the registry names the folder the VM is in. */
export async function recoverRename(home: string, registry: VmRegistry): Promise<void> {
  const note = await renameNote.read(home);
  if (note) {
    const { uuid, from, to } = note;
    const known = registry.list().find((vm) => vm.uuid === uuid);
    if (known?.path === from && !(await pathExists(from)) && (await pathExists(to))) {
      registry.update(uuid, { name: basename(to, '.pvm'), path: to });
    }
  }
  await renameNote.clear(home);
}
