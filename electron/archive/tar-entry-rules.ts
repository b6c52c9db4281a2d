import type { ReadEntry } from 'tar';
import type { ProvisimError } from '../../shared/provisim-error.ts';
import { unreadable, unsafeEntry, writeFailure } from './archive-errors.ts';
import { unsafeLinkReason, unsafeNameReason } from './entry-safety.ts';

const ALLOWED_TYPES = new Set(['File', 'OldFile', 'ContiguousFile', 'Directory', 'SymbolicLink']);

const TYPE_REASONS: Readonly<Record<string, string>> = {
  Link: 'is a hard link',
  CharacterDevice: 'is a character device',
  BlockDevice: 'is a block device',
  FIFO: 'is a named pipe (FIFO)',
};

/** Why a tar entry may not be unpacked, judged on its raw header before node-tar touches it. */
export function tarEntryReason(entry: ReadEntry): string | undefined {
  if (!ALLOWED_TYPES.has(entry.type)) {
    return TYPE_REASONS[entry.type] ?? `is an unsupported ${entry.type} entry`;
  }
  const nameReason = unsafeNameReason(entry.path);
  if (nameReason) return nameReason;
  if (entry.type === 'SymbolicLink') return unsafeLinkReason(entry.path, entry.linkpath ?? '');
  return undefined;
}

interface TarErrorFields {
  code?: unknown;
  tarCode?: unknown;
  message?: unknown;
  name?: unknown;
  entry?: { path?: unknown };
}

/** Maps an error node-tar reports while unpacking to the error a user sees. */
export function tarFailure(error: unknown, stagingDir: string): ProvisimError {
  const fields: TarErrorFields = typeof error === 'object' && error !== null ? error : {};
  const entryPath = typeof fields.entry?.path === 'string' ? fields.entry.path : undefined;
  if (fields.code === 'TAR_SYMLINK_ERROR') {
    return unsafeEntry(entryPath ?? '?', 'would be written through a symbolic link');
  }
  const written = writeFailure(error, stagingDir);
  if (written) return written;
  const message = typeof fields.message === 'string' ? fields.message : String(error);
  const where = entryPath ? ` at entry ${JSON.stringify(entryPath)}` : '';
  return unreadable(`${message.replace(/^TAR_[A-Z_]+: /, '')}${where}`, error);
}

/** Whether node-tar reports that its target folder itself is gone. */
export function isCwdError(error: unknown): boolean {
  return error instanceof Error && error.name === 'CwdError';
}
