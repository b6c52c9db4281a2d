import { ProvisimError } from '../../../shared/provisim-error.ts';

/** DOWNLOAD_FAILED with what happened in its sentence; retryable ones point at the network. */
export function downloadFailed(
  what: string,
  options: { retryable?: boolean; details?: Record<string, unknown>; cause?: unknown } = {},
): ProvisimError {
  const retryable = options.retryable ?? false;
  const advice = retryable
    ? 'Check your network and try again; it resumes where it stopped.'
    : 'Ask your administrator to check the golden image link.';
  return new ProvisimError('DOWNLOAD_FAILED', {
    message: `The download failed: ${what}. ${advice}`,
    retryable,
    details: { reason: what, ...options.details },
    cause: options.cause,
  });
}

/** CANCELLED, as thrown when the job's signal fires. */
export function cancelledError(): ProvisimError {
  return new ProvisimError('CANCELLED');
}

/** Throws CANCELLED when the signal has fired. */
export function throwIfCancelled(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelledError();
}

/** The error for a failed write of the partial file: disk full or another local problem. */
export function diskWriteError(error: unknown, path: string): ProvisimError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code === 'ENOSPC') {
    return new ProvisimError('INSUFFICIENT_DISK_SPACE', { cause: error, details: { path } });
  }
  return new ProvisimError('DOWNLOAD_FAILED', {
    message: `The download could not be written to ${path} (${code ?? String(error)}). Check that the folder is writable and try again.`,
    cause: error,
    details: { path, code },
  });
}
