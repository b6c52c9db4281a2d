import { readFile, rm, stat, writeFile } from 'node:fs/promises';
import { hostname } from 'node:os';
import type { HomeLayout } from './home-layout.ts';

interface LockOwner {
  readonly pid: number;
  readonly host: string;
}

/** The file beside the agent lock naming the process that holds it. */
export function lockOwnerPath(layout: HomeLayout): string {
  return `${layout.lockFile}.owner`;
}

/** Records this process as the lock's holder. */
export async function writeLockOwner(layout: HomeLayout): Promise<void> {
  const owner: LockOwner = { pid: process.pid, host: hostname() };
  await writeFile(lockOwnerPath(layout), JSON.stringify(owner));
}

/**
 * Removes the lock when its holder was a process of this machine that no longer runs (a killed
 * agent), so the next agent need not wait for the lock to go stale; true when it was removed.
 */
export async function removeLockOfDeadOwner(layout: HomeLayout): Promise<boolean> {
  const path = lockOwnerPath(layout);
  const [text, ownerInfo, lockInfo] = await Promise.all([
    readFile(path, 'utf8').catch(() => undefined),
    stat(path).catch(() => undefined),
    stat(layout.lockFile).catch(() => undefined),
  ]);
  if (text === undefined || !ownerInfo || !lockInfo) return false;
  // An owner file older than the lock was left by an earlier holder, not by this lock's.
  if (ownerInfo.mtimeMs < lockInfo.birthtimeMs) return false;
  let owner: Partial<LockOwner>;
  try {
    owner = JSON.parse(text) as Partial<LockOwner>;
  } catch {
    return false;
  }
  if (owner.host !== hostname() || typeof owner.pid !== 'number' || isRunning(owner.pid)) {
    return false;
  }
  await rm(layout.lockFile, { recursive: true, force: true });
  return true;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
