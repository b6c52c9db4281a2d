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

/** Creates a folder when needed and proves it takes a file, before anything is downloaded into it. */
export async function prepareWritableFolder(path: string, what: string): Promise<void> {
  try {
    await mkdir(path, { recursive: true });
    const probe = join(path, `.provisim-write-test-${randomUUID()}`);
    await writeFile(probe, '');
    await rm(probe, { force: true });
  } catch (error) {
    throw folderFailure(error, path, what);
  }
}

/** The error for a folder that cannot be written, naming the real cause (EROFS, ENOSPC, EACCES...). */
export function folderFailure(error: unknown, path: string, what: string): ProvisimError {
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
    message: `The ${what} ${path} cannot be written (${cause}). Choose another VM folder in Settings or fix its permissions, then try again.`,
    cause: error,
    details: { path, errno: code },
  });
}
