import { randomUUID } from 'node:crypto';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { VmRecord, VmSource } from '../../shared/agent-store-schema.ts';
import type { Arch } from '../../shared/protocol.ts';
import { ProvisimError, isProvisimError } from '../../shared/provisim-error.ts';
import { CONFIG_FILE } from '../archive/vm-config.ts';
import { commitVmBundle, locateVmBundle, validateVmBundle } from '../archive/vm-bundle.ts';
import { clearPendingRegistration, notePendingRegistration } from './pending-registration.ts';
import type { VmRegistry } from './vm-registry.ts';
import { crashPoint } from '../crash-points.ts';
import type { HypervisorBackend, RegisteredVm } from './hypervisor/hypervisor-backend.ts';
import { SimulatedBackend } from './hypervisor/simulated-backend.ts';

/** What committing an unpacked VM needs. */
export interface CommitOptions {
  /** The agent home, where the registration about to happen is noted first. */
  readonly home: string;
  readonly stagingDir: string;
  readonly hostArch: Arch;
  readonly vmDir: string;
  readonly registry: VmRegistry;
  readonly source: VmSource;
  /** Who registers the VM besides Provisim's registry (default: simulated, the registry only). */
  readonly backend?: HypervisorBackend;
}

/**
 * Checks the unpacked VM, moves it into the VM folder and registers it: with the backend first
 * (Parallels Desktop gives it its uuid and name), then in the registry.
 */
export async function commitAndRegister(options: CommitOptions): Promise<VmRecord> {
  const bundle = await locateVmBundle(options.stagingDir);
  const config = await validateVmBundle(bundle, options.hostArch);
  crashPoint('after-validate');
  let uuid = config.uuid;
  if (options.registry.list().some((vm) => vm.uuid === uuid)) {
    // A forced second copy of the same image is a copy, as Parallels asks: give it its own uuid.
    uuid = randomUUID();
    const configPath = join(bundle, CONFIG_FILE);
    const xml = await readFile(configPath, 'utf8');
    await writeFile(configPath, xml.split(config.uuid).join(uuid));
  }
  const registeredAt = new Date().toISOString();
  const recordAt = (path: string): VmRecord => ({
    uuid,
    name: basename(path, '.pvm'),
    path,
    arch: config.arch,
    source: options.source,
    registeredAt,
    state: 'stopped',
  });
  const path = await commitVmBundle(bundle, options.vmDir, config.name, async (target) => {
    await notePendingRegistration(options.home, recordAt(target));
    crashPoint('after-claim-noted');
  });
  crashPoint('after-move');
  const backend = options.backend ?? new SimulatedBackend();
  const record = await registerEverywhere(backend, options.registry, options.home, recordAt(path));
  crashPoint('after-registry-write');
  await clearPendingRegistration(options.home);
  crashPoint('after-note-cleared');
  return record;
}

/**
 * Registers a VM committed to the VM folder with the backend, then in the registry; a refusal by
 * either leaves nothing: no folder, no record, and Parallels forgets it again.
 */
export async function registerEverywhere(
  backend: HypervisorBackend,
  registry: VmRegistry,
  home: string,
  committed: VmRecord,
): Promise<VmRecord> {
  const registered = await registerWithBackend(backend, home, committed.path);
  crashPoint('after-backend-register');
  const record: VmRecord =
    backend.kind === 'parallels'
      ? { ...committed, ...registered, hypervisor: 'parallels' }
      : committed;
  return registerCommitted(registry, record).catch(async (error: unknown) => {
    // The registry refused it and its folder is gone: Parallels must not keep it either.
    if (backend.kind === 'parallels') {
      await backend.remove(registered.uuid, { deleteFiles: false }).catch(() => undefined);
    }
    throw error;
  });
}

// A backend that refuses the VM leaves nothing: the committed folder goes, and no record is written.
async function registerWithBackend(
  backend: HypervisorBackend,
  home: string,
  path: string,
): Promise<RegisteredVm> {
  try {
    return await backend.registerBundle(path, basename(path, '.pvm'));
  } catch (error) {
    await rm(path, { recursive: true, force: true });
    await clearPendingRegistration(home);
    throw isProvisimError(error)
      ? error
      : new ProvisimError('REGISTRATION_FAILED', { cause: error, details: { path } });
  }
}

/** Adds a committed VM to the registry; on failure removes its folder so none is left unknown. */
export async function registerCommitted(registry: VmRegistry, record: VmRecord): Promise<VmRecord> {
  try {
    registry.add(record);
    return record;
  } catch (error) {
    await rm(record.path, { recursive: true, force: true });
    throw isProvisimError(error)
      ? error
      : new ProvisimError('REGISTRATION_FAILED', { cause: error, details: { path: record.path } });
  }
}
