import { lstat, rm } from 'node:fs/promises';
import type { Logger } from 'pino';
import type { VmRecord } from '../../shared/agent-store-schema.ts';
import type { HypervisorBackend, RegisteredVm } from './hypervisor/hypervisor-backend.ts';
import { pendingPacked, type PendingPacked } from './packed-note.ts';
import { recordPacked } from './register-packed.ts';
import type { VmRegistry } from './vm-registry.ts';
import { pathExists } from './path-exists.ts';

/**
 * Finishes a packed registration a crash interrupted, so that the hypervisor holds no VM that
 * Provisim does not know; returns the VM it recorded. Call holding the agent lock, before any job.
 * The note stays while only another backend could finish it. What cannot be finished is given up
 * (its VM deleted, its file removed), so that it never blocks a run: the next download starts over.
 */
export async function recoverPendingPacked(
  home: string,
  registry: VmRegistry,
  backend: HypervisorBackend,
  logger?: Logger,
): Promise<VmRecord | undefined> {
  const note = await pendingPacked.read(home);
  // None, or one that cannot be read: a damaged note can guide nothing.
  if (!note) return void (await pendingPacked.clear(home));
  if (await pathExists(note.from)) {
    // The move had not finished: the download is still whole where it was, for the next run.
    // What sits at `placed` is our claim, or a copy across disks cut short; both are ours.
    return void (await dropPlaced(home, note));
  }
  if (!backend.finishPacked) return undefined;
  // A copy across disks cut short whose download is gone since (a Cancel) is no verified image.
  const size = await sizeOf(note.placed);
  if (size !== undefined && size !== note.bytes) return void (await dropPlaced(home, note));
  let registered: RegisteredVm | undefined;
  try {
    registered = await backend.finishPacked(note.placed, note.vmName);
  } catch (error) {
    logger?.warn({ err: error, placed: note.placed }, 'gave up a packed VM a crash cut short');
    return void (await dropPlaced(home, note));
  }
  // The crash may have come after the record was written: the uuid tells.
  const known = registered && registry.list().some((vm) => vm.uuid === registered.uuid);
  try {
    return registered && !known
      ? await recordPacked({ registered, arch: note.arch, source: note.source, backend, registry })
      : undefined;
  } finally {
    await pendingPacked.clear(home);
  }
}

async function dropPlaced(home: string, note: PendingPacked): Promise<void> {
  await rm(note.placed, { force: true });
  await pendingPacked.clear(home);
}

async function sizeOf(path: string): Promise<number | undefined> {
  const info = await lstat(path).catch(() => undefined);
  return info?.isFile() ? info.size : undefined;
}
