import { readdir, realpath, rmdir } from 'node:fs/promises';
import { vmRecordSchema, type VmRecord } from '../../shared/agent-store-schema.ts';
import { CONFIG_FILE, readVmConfig } from '../archive/vm-config.ts';
import type { VmRegistry } from './vm-registry.ts';
import type { HypervisorBackend } from './hypervisor/hypervisor-backend.ts';
import { comparablePath } from './hypervisor/prlctl-list.ts';
import { CrashNote } from './crash-note.ts';

/** What a restart found of a registration a crash interrupted. */
export type RecoveredRegistration =
  /** The VM folder had been moved in: it is registered now. */
  | { readonly outcome: 'adopted'; readonly vm: VmRecord }
  /** Only the name had been claimed: the empty folder is gone, the staged VM stays to commit again. */
  | { readonly outcome: 'rolled-back'; readonly vm: VmRecord }
  /** The registration had finished. */
  | { readonly outcome: 'finished'; readonly vm: VmRecord };

const note = new CrashNote('registering.json', vmRecordSchema);

/** The file in an agent home that names a VM folder claimed but not yet registered. */
export function pendingRegistrationPath(home: string): string {
  return note.path(home);
}

/** Records, before the VM folder is moved in, the registration about to happen. */
export function notePendingRegistration(home: string, vm: VmRecord): Promise<void> {
  return note.write(home, vm);
}

/** Forgets the pending registration once the registry holds it. */
export function clearPendingRegistration(home: string): Promise<void> {
  return note.clear(home);
}

/**
 * Finishes or rolls back a registration a crash interrupted, so that a restart leaves exactly one
 * folder and one registration; call while holding the agent lock, before any new job.
 */
export async function recoverPendingRegistration(
  home: string,
  registry: VmRegistry,
  backend?: HypervisorBackend,
): Promise<RecoveredRegistration | undefined> {
  const vm = await note.read(home);
  // None, or one that cannot be read: a damaged note can guide nothing.
  if (!vm) return void (await clearPendingRegistration(home));
  let outcome: RecoveredRegistration['outcome'] | undefined;
  if (registry.list().some((known) => known.uuid === vm.uuid)) outcome = 'finished';
  else if (backend?.kind === 'parallels' && (await isBundle(vm.path))) {
    // Parallels gives the VM its own uuid: find it there by folder, or register it now.
    const adopted = await adoptInParallels(backend, registry, vm);
    await clearPendingRegistration(home);
    return adopted && { outcome: 'adopted', vm: adopted };
  } else {
    const names = await readdir(vm.path).catch(() => undefined);
    if (names?.length === 0) {
      await rmdir(vm.path);
      outcome = 'rolled-back';
    } else if (names?.includes(CONFIG_FILE) && (await uuidIn(vm.path)) === vm.uuid) {
      // The folder holds this very VM (not one that took the name before): it was moved in.
      registry.add(vm);
      outcome = 'adopted';
    }
  }
  await clearPendingRegistration(home);
  return outcome && { outcome, vm };
}

async function isBundle(path: string): Promise<boolean> {
  return (await readdir(path).catch(() => [] as string[])).includes(CONFIG_FILE);
}

// The registry may already hold this VM under Parallels' uuid (the registration finished).
async function adoptInParallels(
  backend: HypervisorBackend,
  registry: VmRegistry,
  vm: VmRecord,
): Promise<VmRecord | undefined> {
  const home = comparablePath(await realpath(vm.path));
  if (registry.list().some((known) => comparablePath(known.path) === home)) return undefined;
  const listed = (await backend.list()).find((known) => known.path === home);
  const registered = listed ?? (await backend.registerBundle(vm.path, vm.name));
  const adopted: VmRecord = {
    ...vm,
    uuid: registered.uuid,
    name: registered.name,
    path: registered.path,
    hypervisor: 'parallels',
  };
  registry.add(adopted);
  return adopted;
}

async function uuidIn(bundle: string): Promise<string | undefined> {
  return readVmConfig(bundle).then(
    (config) => config.uuid,
    () => undefined,
  );
}
