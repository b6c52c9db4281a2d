import { lstat, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFile } from 'atomically';
import { z } from 'zod';
import { vmSourceSchema, type VmRecord } from '../../shared/agent-store-schema.ts';
import { archSchema } from '../../shared/protocol.ts';
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

/** The file in an agent home that names a packed VM on its way into the hypervisor. */
export function pendingPackedPath(home: string): string {
  return join(home, 'registering-packed.json');
}

/** Records, before the packed file moves, where it goes and what its VM will be. */
export async function notePendingPacked(home: string, note: PendingPacked): Promise<void> {
  await writeFile(pendingPackedPath(home), `${JSON.stringify(note)}\n`, { mode: 0o600 });
}

/** Forgets the packed registration once the registry holds it, or once it was undone. */
export async function clearPendingPacked(home: string): Promise<void> {
  await rm(pendingPackedPath(home), { force: true });
}

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
  const text = await readFile(pendingPackedPath(home), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  const parsed = noteSchema.safeParse(parseJson(text));
  if (!parsed.success) return void (await clearPendingPacked(home));
  const note = parsed.data;
  if (await exists(note.from)) {
    // The move had not finished: the download is still whole where it was, for the next run.
    // What sits at `placed` is our claim, or a copy across disks cut short; both are ours.
    await rm(note.placed, { force: true });
    return void (await clearPendingPacked(home));
  }
  if (!backend.finishPacked) return undefined;
  const registered = await backend.finishPacked(note.placed, note.vmName);
  // The crash may have come after the record was written: the uuid tells.
  const known = registered && registry.list().some((vm) => vm.uuid === registered.uuid);
  const record = registered && !known ? packedRecord(registered, note) : undefined;
  if (record) registry.add(record);
  await clearPendingPacked(home);
  return record;
}

async function exists(path: string): Promise<boolean> {
  return (await lstat(path).catch(() => undefined)) !== undefined;
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
