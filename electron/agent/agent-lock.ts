import { mkdir } from 'node:fs/promises';
import lockfile from 'proper-lockfile';
import { ProvisimError } from '../../shared/provisim-error.ts';
import { homeLayout, type HomeLayout } from './home-layout.ts';
import { removeLockOfDeadOwner, writeLockOwner } from './lock-owner.ts';
import { HOME_FOLDER_ADVICE, folderFailure, isFolderProblem } from './writable-folder.ts';

/** A lock older than this (not refreshed) belongs to a dead agent and is taken over. */
export const AGENT_LOCK_STALE_MS = 10_000;

/** Options of acquireAgentLock. */
export interface AgentLockOptions {
  /** Told when the lock was lost (its folder removed or not refreshed in time). */
  onCompromised?: (error: Error) => void;
}

/** Takes the home folder's agent lock; a second holder gets AGENT_BUSY. Returns the release. */
export async function acquireAgentLock(
  home: string,
  options: AgentLockOptions = {},
): Promise<() => Promise<void>> {
  const layout = homeLayout(home);
  let release: () => Promise<void>;
  try {
    await mkdir(layout.lockTarget, { recursive: true });
    try {
      release = await lock(layout, options);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ELOCKED') throw error;
      if (!(await removeLockOfDeadOwner(layout))) throw error;
      release = await lock(layout, options);
    }
    await writeLockOwner(layout);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOCKED') {
      throw new ProvisimError('AGENT_BUSY', { retryable: true, details: { home: layout.home } });
    }
    // A read-only or blocked home is the folder's problem (exit 1), not a misused command.
    if (isFolderProblem(error)) {
      throw folderFailure(error, layout.home, 'agent home folder', HOME_FOLDER_ADVICE);
    }
    throw new ProvisimError('USAGE', {
      message: `The agent lock ${layout.lockFile} cannot be taken (${(error as Error).message}). Check that the home folder is writable or use another --home.`,
      details: { home: layout.home },
      cause: error,
    });
  }
  let released = false;
  return async () => {
    if (released) return;
    released = true;
    await release();
  };
}

function lock(layout: HomeLayout, options: AgentLockOptions): Promise<() => Promise<void>> {
  return lockfile.lock(layout.lockTarget, {
    lockfilePath: layout.lockFile,
    stale: AGENT_LOCK_STALE_MS,
    update: AGENT_LOCK_STALE_MS / 2,
    retries: 0,
    realpath: false,
    // The default throws from a timer and kills the process; a warning is enough here.
    onCompromised:
      options.onCompromised ??
      ((error) => process.emitWarning(`Provisim agent lock lost: ${error.message}`)),
  });
}
