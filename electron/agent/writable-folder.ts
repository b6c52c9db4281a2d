import { randomUUID } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ProvisimError } from '../../shared/provisim-error.ts';
import { errnoCode } from '../archive/entry-safety.ts';

const EXPLAINED: Readonly<Record<string, string>> = {
  EROFS: 'a read-only volume',
  EACCES: 'permission denied',
  EPERM: 'not permitted',
  ENOTDIR: 'a file is in the way',
  EEXIST: 'a file is in the way',
  ENOSPC: 'the disk is full',
  EDQUOT: 'the disk quota is used up',
};

/** What to do about a folder that cannot be written, unless the caller knows better. */
export const VM_FOLDER_ADVICE = 'Choose another VM folder in Settings or fix its permissions';

/** What to do about an agent home folder that cannot be written. */
export const HOME_FOLDER_ADVICE =
  'Give another home folder (--home or $PROVISIM_HOME) or fix its permissions';

/** Whether an error says a folder cannot be written (read-only, permissions, a file in the way, full). */
export function isFolderProblem(error: unknown): boolean {
  const code = errnoCode(error);
  return code !== undefined && Object.hasOwn(EXPLAINED, code);
}

/** Creates a folder when needed and proves it takes a file, before anything is downloaded into it. */
export async function prepareWritableFolder(
  path: string,
  what: string,
  advice = VM_FOLDER_ADVICE,
): Promise<void> {
  try {
    await mkdir(path, { recursive: true });
    const probe = join(path, `.provisim-write-test-${randomUUID()}`);
    await writeFile(probe, '');
    await rm(probe, { force: true });
  } catch (error) {
    throw folderFailure(error, path, what, advice);
  }
}

/** The error for a folder that cannot be written, naming the real cause (EROFS, ENOSPC, EACCES...). */
export function folderFailure(
  error: unknown,
  path: string,
  what: string,
  advice = VM_FOLDER_ADVICE,
): ProvisimError {
  const code = errnoCode(error) ?? 'EIO';
  const cause = `${code}: ${EXPLAINED[code] ?? (error instanceof Error ? error.message : String(error))}`;
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new ProvisimError('INSUFFICIENT_DISK_SPACE', {
      message: `The ${what} ${path} cannot be written (${cause}). Free some space and try again.`,
      cause: error,
      details: { path, errno: code },
    });
  }
  return new ProvisimError('FOLDER_NOT_WRITABLE', {
    message: `The ${what} ${path} cannot be written (${cause}). ${advice}, then try again.`,
    cause: error,
    details: { path, errno: code },
  });
}
