import type { ProvisimError } from '../../shared/provisim-error.ts';
import type { ArchiveLimits } from './archive-limits.ts';
import { overLimit, unreadable, unsafeEntry } from './archive-errors.ts';
import type { TarEntry } from './tar-framer.ts';
import { tarEntryReason } from './tar-entry-rules.ts';

/** What an admitted path became. */
export type MadeKind = 'file' | 'dir' | 'link';

/** What an archive's entries add up to once unpacked (or checked). */
export interface ExtractSummary {
  readonly entries: number;
  readonly unpackedBytes: number;
}

/**
 * The rules every tar entry passes before anything of it exists: limits, type, name, link target,
 * never through a link or inside a file, never over an earlier entry. Keeps what was admitted.
 */
export class EntryAdmission {
  private entries = 0;
  private unpackedBytes = 0;
  readonly links = new Set<string>();
  readonly made = new Map<string, MadeKind>();

  constructor(private readonly limits: ArchiveLimits) {}

  /** Entries and file bytes admitted so far. */
  get summary(): ExtractSummary {
    return { entries: this.entries, unpackedBytes: this.unpackedBytes };
  }

  /** The folder-relative path to create, or undefined for the top folder itself; throws a refusal. */
  admit(entry: TarEntry): string | undefined {
    this.entries += 1;
    if (this.entries > this.limits.maxEntries) throw overLimit('entries', this.limits.maxEntries);
    const reason = tarEntryReason(entry);
    if (reason) throw unsafeEntry(entry.path, reason);
    this.unpackedBytes += entry.size;
    if (this.unpackedBytes > this.limits.maxUnpackedBytes) {
      throw overLimit('bytes of files', this.limits.maxUnpackedBytes);
    }
    if (entry.type !== 'File' && entry.type !== 'OldFile' && entry.type !== 'ContiguousFile') {
      if (entry.size > 0 && entry.type !== 'Directory') {
        throw unreadable(`the entry ${JSON.stringify(entry.path)} is not a file but carries data`);
      }
    }
    const path = stagedPath(entry.path);
    if (path === undefined) return undefined;
    // Every folder on the way must be one the archive made (or will make) as a folder: never a
    // link, whose target was checked as text only, and never a file.
    const parts = path.split('/');
    for (let depth = 1; depth < parts.length; depth += 1) {
      const parent = parts.slice(0, depth).join('/');
      if (this.links.has(parent))
        throw unsafeEntry(entry.path, 'would be written through a symbolic link');
      if (this.made.get(parent) === 'file')
        throw unsafeEntry(entry.path, 'would be written inside a file');
    }
    return path;
  }

  /** Throws when an admitted path would replace an earlier entry (a folder may be named again). */
  assertNew(path: string, entry: TarEntry): void {
    const earlier = this.made.get(path);
    if (earlier === undefined) return;
    if (entry.type !== 'Directory' || earlier !== 'dir') throw twice(entry);
  }

  /** Records what a path became, and its parent folders as folders. */
  record(path: string, kind: MadeKind): void {
    const parts = path.split('/');
    for (let depth = 1; depth < parts.length; depth += 1) {
      const parent = parts.slice(0, depth).join('/');
      if (!this.made.has(parent)) this.made.set(parent, 'dir');
    }
    this.made.set(path, kind);
    if (kind === 'link') this.links.add(path);
  }
}

/** The refusal of an entry that names a path an earlier entry made. */
export function twice(entry: TarEntry): ProvisimError {
  return unsafeEntry(entry.path, 'appears twice in the archive or replaces another entry');
}

/** The folder-relative path an entry name is created at; undefined for the folder itself. */
export function stagedPath(name: string): string | undefined {
  const path = name
    .split('/')
    .filter((part) => part !== '' && part !== '.')
    .join('/');
  return path === '' ? undefined : path;
}
