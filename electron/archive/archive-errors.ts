import { ProvisimError, isProvisimError } from '../../shared/provisim-error.ts';
import { errnoCode } from './entry-safety.ts';

/** The ARCHIVE_UNSAFE error for one refused entry, naming it. */
export function unsafeEntry(name: string, reason: string): ProvisimError {
  return new ProvisimError('ARCHIVE_UNSAFE', {
    message: `The archive entry ${JSON.stringify(name)} ${reason}, so the archive was refused. Ask your administrator to re-create it.`,
    details: { entry: name },
  });
}

/** The ARCHIVE_UNSAFE error for an archive that goes over a limit. */
export function overLimit(what: string, limit: number): ProvisimError {
  return new ProvisimError('ARCHIVE_UNSAFE', {
    message: `The archive holds more than ${limit} ${what}, over the safety limit, so it was refused.`,
    details: { limit },
  });
}

/** The ARCHIVE_UNSAFE error for an archive that expands more than compression can produce. */
export function overExpanded(ratio: number): ProvisimError {
  return new ProvisimError('ARCHIVE_UNSAFE', {
    message: `The archive unpacks to more than ${ratio} times its own size, more than compression can produce: it reuses its data, as archive bombs do, so it was refused. Ask your administrator to re-create it.`,
    details: { ratio },
  });
}

/** The ARCHIVE_INVALID error for an archive that cannot be read. */
export function unreadable(problem: string, cause?: unknown): ProvisimError {
  return new ProvisimError('ARCHIVE_INVALID', {
    message: `The file is not a readable VM archive: ${problem}. Ask your administrator to re-create it with Prepare for Transfer.`,
    cause,
  });
}

/** Maps a failure to write into the staging folder to an error a user can act on. */
export function writeFailure(error: unknown, stagingDir: string): ProvisimError | undefined {
  const code = errnoCode(error);
  if (code === 'ENOSPC' || code === 'EDQUOT') {
    return new ProvisimError('INSUFFICIENT_DISK_SPACE', {
      message: `The disk holding the VM folder filled up while the VM was unpacked (${code}). What arrived is kept: free some space and try again to continue.`,
      cause: error,
      details: { stagingDir, errno: code },
    });
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
    return new ProvisimError('FOLDER_NOT_WRITABLE', {
      message: `The VM could not be unpacked because the VM folder is not writable (${code}${code === 'EROFS' ? ': a read-only volume' : ''}). Choose another VM folder in Settings or fix its permissions.`,
      cause: error,
      details: { stagingDir, errno: code },
    });
  }
  return undefined;
}

/** Whether a failure comes from where the VM is written (full or read-only disk), not from the archive: what arrived is kept. */
export function isDestinationFailure(error: unknown): boolean {
  return (
    isProvisimError(error) &&
    (error.code === 'INSUFFICIENT_DISK_SPACE' || error.code === 'FOLDER_NOT_WRITABLE')
  );
}

/** The error for a staging folder that cannot be created or written. */
export function stagingFailure(error: unknown, stagingDir: string): ProvisimError {
  return (
    writeFailure(error, stagingDir) ??
    new ProvisimError('REGISTRATION_FAILED', {
      message: `The staging folder for the VM cannot be created (${errnoCode(error) ?? String(error)}). Check that the VM folder is writable.`,
      cause: error,
      details: { stagingDir },
    })
  );
}
