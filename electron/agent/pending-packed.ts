import { lstat, rm } from 'node:fs/promises';
import { z } from 'zod';
import { vmSourceSchema, type VmRecord } from '../../shared/agent-store-schema.ts';
import { archSchema } from '../../shared/protocol.ts';
import { CrashNote } from './crash-note.ts';
import type { HypervisorBackend, RegisteredVm } from './hypervisor/hypervisor-backend.ts';
import type { VmRegistry } from './vm-registry.ts';

const noteSchema = z.object({
  /** The verified download, until it is moved to `placed`. */
  from: z.string().min(1),
  /** Where the packed file goes in the VM folder (resolved), claimed as an empty file. */
  placed: z.string().min(1),
  vmName: z.string().min(1),
  arch: archSchema,
  source: vmSourceSchema,
});

/** What a packed registration needs to be finished after a crash. */
export type PendingPacked = z.infer<typeof noteSchema>;

/**
 * Names a packed VM on its way into the hypervisor: written before the file moves, cleared once
 * the registry holds the VM or the backend undid it.
 */
export const pendingPacked = new CrashNote('registering-packed.json', noteSchema);

/** The record of a VM the hypervisor registered from a packed file. */
export function packedRecord(
  registered: RegisteredVm,
  note: Pick<PendingPacked, 'arch' | 'source'>,
): VmRecord {
  return {
    uuid: registered.uuid,
    name: registered.name,
    path: registered.path,
    arch: note.arch,
    source: note.source,
    registeredAt: new Date().toISOString(),
    state: 'stopped',
    hypervisor: 'parallels',
  };
}

/**
 * Finishes a packed registration a crash interrupted, so that the hypervisor holds no VM that
 * Provisim does not know; returns the VM it recorded. Call holding the agent lock, before any job.
 * The note stays while the backend cannot finish it (another backend, or a failure to retry).
 */
export async function recoverPendingPacked(
  home: string,
  registry: VmRegistry,
  backend: HypervisorBackend,
): Promise<VmRecord | undefined> {
  const note = await pendingPacked.read(home);
  // None, or one that cannot be read: a damaged note can guide nothing.
  if (!note) return void (await pendingPacked.clear(home));
  if (await exists(note.from)) {
    // The move had not finished: the download is still whole where it was, for the next run.
    // What sits at `placed` is our claim, or a copy across disks cut short; both are ours.
    await rm(note.placed, { force: true });
    return void (await pendingPacked.clear(home));
  }
  if (!backend.finishPacked) return undefined;
  const registered = await backend.finishPacked(note.placed, note.vmName);
  // The crash may have come after the record was written: the uuid tells.
  const known = registered && registry.list().some((vm) => vm.uuid === registered.uuid);
  const record = registered && !known ? packedRecord(registered, note) : undefined;
  if (record) registry.add(record);
  await pendingPacked.clear(home);
  return record;
}

async function exists(path: string): Promise<boolean> {
  return (await lstat(path).catch(() => undefined)) !== undefined;
}
