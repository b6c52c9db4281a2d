import { unsafeLinkReason, unsafeNameReason } from './entry-safety.ts';

const ALLOWED_TYPES = new Set(['File', 'OldFile', 'ContiguousFile', 'Directory', 'SymbolicLink']);

const TYPE_REASONS: Readonly<Record<string, string>> = {
  Link: 'is a hard link',
  CharacterDevice: 'is a character device',
  BlockDevice: 'is a block device',
  FIFO: 'is a named pipe (FIFO)',
};

/** Why a tar entry may not be unpacked, judged on its header before anything of it is written. */
export function tarEntryReason(entry: {
  readonly type: string;
  readonly path: string;
  readonly linkpath?: string;
}): string | undefined {
  if (!ALLOWED_TYPES.has(entry.type)) {
    return TYPE_REASONS[entry.type] ?? `is an unsupported ${entry.type} entry`;
  }
  const nameReason = unsafeNameReason(entry.path);
  if (nameReason) return nameReason;
  if (entry.type === 'SymbolicLink') return unsafeLinkReason(entry.path, entry.linkpath ?? '');
  return undefined;
}
