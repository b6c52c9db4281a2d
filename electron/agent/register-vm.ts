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

/** What committing an unpacked VM needs. */
export interface CommitOptions {
  /** The agent home, where the registration about to happen is noted first. */
  readonly home: string;
  readonly stagingDir: string;
  readonly hostArch: Arch;
  readonly vmDir: string;
  readonly registry: VmRegistry;
  readonly source: VmSource;
}

/** Checks the unpacked VM, moves it into the VM folder and registers it. */
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
  const record = await registerCommitted(options.registry, recordAt(path));
  crashPoint('after-registry-write');
  await clearPendingRegistration(options.home);
  crashPoint('after-note-cleared');
  return record;
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
