import { lstat, mkdir, readlink, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { isProvisimError, type ProvisimError } from '../../shared/provisim-error.ts';
import type { ArchiveLimits } from './archive-limits.ts';
import {
  overLimit,
  stagingFailure,
  unreadable,
  unsafeEntry,
  writeFailure,
} from './archive-errors.ts';
import { errnoCode, safeMode } from './entry-safety.ts';
import { FileSink } from './file-sink.ts';
import { assertRoomFor } from './free-space.ts';
import type { TarEntry } from './tar-framer.ts';
import { tarEntryReason } from './tar-entry-rules.ts';

// How often the free space is checked again while one large file is written.
const ROOM_CHECK_BYTES = 256 * 1024 * 1024;

/** What a staging folder holds once unpacked. */
export interface ExtractSummary {
  readonly entries: number;
  readonly unpackedBytes: number;
}

/** An entry already on disk from an earlier run, and how much of its data is there. */
export interface AdoptedEntry {
  readonly entry: TarEntry;
  readonly bytesOnDisk: number;
}

/**
 * Creates the entries of an archive inside a staging folder, each checked before anything of it
 * is written: type, name, link target, limits, and never through a link or over an earlier entry.
 */
export class StagingWriter {
  private entries = 0;
  private unpackedBytes = 0;
  private readonly links = new Set<string>();
  private readonly made = new Map<string, 'file' | 'dir' | 'link'>();
  private current: { sink: FileSink; entry: TarEntry; left: number } | undefined;
  private sinceRoomCheck = 0;

  constructor(
    readonly stagingDir: string,
    private readonly limits: ArchiveLimits,
  ) {}

  /** Entries and file bytes admitted so far. */
  get summary(): ExtractSummary {
    return { entries: this.entries, unpackedBytes: this.unpackedBytes };
  }

  /** Whether the current file still expects data. */
  get inFile(): boolean {
    return this.current !== undefined && this.current.left > 0;
  }

  /** Checks an entry and creates it (folder, link, or an empty file that data then fills). */
  async begin(entry: TarEntry): Promise<void> {
    await this.closeFile();
    const path = this.admit(entry);
    if (path === undefined) return;
    const full = join(this.stagingDir, path);
    try {
      if (entry.type === 'Directory') {
        if (this.made.has(path) && this.made.get(path) !== 'dir') throw twice(entry);
        await mkdir(full, { recursive: true, mode: safeMode(entry.mode, true) ?? 0o755 });
        this.made.set(path, 'dir');
        return;
      }
      if (this.made.has(path)) throw twice(entry);
      await this.makeParents(path);
      if (entry.type === 'SymbolicLink') {
        await symlink(entry.linkpath!, full);
        this.made.set(path, 'link');
        this.links.add(path);
        return;
      }
      await this.assertRoom(entry.size);
      const mode = safeMode(entry.mode, false) ?? 0o644;
      const sink = await FileSink.open(full, { create: true, mode, position: 0 });
      this.made.set(path, 'file');
      this.current = { sink, entry, left: entry.size };
    } catch (error) {
      throw this.failure(error, entry);
    }
  }

  /** Adds bytes of the current file's data; resolves once more may be written. */
  data(bytes: Uint8Array): Promise<void> | undefined {
    const current = this.current;
    if (!current || bytes.length > current.left) {
      throw unreadable('an entry that is not a file carries data');
    }
    current.left -= bytes.length;
    this.sinceRoomCheck += bytes.length;
    const waiting = current.sink.push(bytes)?.catch((error: unknown) => {
      throw this.failure(error, current.entry);
    });
    if (this.sinceRoomCheck < ROOM_CHECK_BYTES) return waiting;
    // Other programs fill disks too: look again now and then while a large file is written.
    this.sinceRoomCheck = 0;
    return Promise.all([waiting, this.assertRoom(current.left)]).then(() => undefined);
  }

  /** Takes an entry that an earlier run created, checking it is still there as recorded. */
  async adopt({ entry, bytesOnDisk }: AdoptedEntry): Promise<boolean> {
    await this.closeFile();
    const path = this.admit(entry);
    if (path === undefined) return true;
    const full = join(this.stagingDir, path);
    const stats = await lstat(full).catch(() => undefined);
    const kind =
      entry.type === 'Directory' ? 'dir' : entry.type === 'SymbolicLink' ? 'link' : 'file';
    this.made.set(path, kind);
    if (kind === 'dir') return stats?.isDirectory() === true;
    if (kind === 'link') {
      this.links.add(path);
      return stats?.isSymbolicLink() === true && (await readlink(full)) === entry.linkpath;
    }
    if (!stats?.isFile() || stats.size !== bytesOnDisk) return false;
    if (bytesOnDisk < entry.size) {
      const sink = await FileSink.open(full, { create: false, position: bytesOnDisk });
      this.current = { sink, entry, left: entry.size - bytesOnDisk };
    }
    return true;
  }

  /** Resolves once every byte taken so far is written. */
  async flush(): Promise<void> {
    const current = this.current;
    if (!current) return;
    try {
      await current.sink.flush();
    } catch (error) {
      throw this.failure(error, current.entry);
    }
  }

  /** Writes out and closes the current file. */
  async closeFile(): Promise<void> {
    const current = this.current;
    this.current = undefined;
    if (!current) return;
    try {
      await current.sink.close(current.left === 0 ? current.entry.mtime : undefined);
    } catch (error) {
      throw this.failure(error, current.entry);
    }
  }

  /** Closes the current file without waiting for queued data; never throws. */
  async discard(): Promise<void> {
    const current = this.current;
    this.current = undefined;
    await current?.sink.discard();
  }

  private assertRoom(bytes: number): Promise<void> {
    return assertRoomFor(this.stagingDir, bytes, this.limits.keepFreeBytes ?? 0);
  }

  /** The folder-relative path to create, or undefined for the staging folder itself. */
  private admit(entry: TarEntry): string | undefined {
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

  private async makeParents(path: string): Promise<void> {
    const cut = path.lastIndexOf('/');
    if (cut === -1) return;
    const parent = path.slice(0, cut);
    if (this.made.get(parent) === 'dir') return;
    await mkdir(join(this.stagingDir, parent), { recursive: true, mode: 0o755 });
    const parts = parent.split('/');
    for (let depth = 1; depth <= parts.length; depth += 1) {
      const made = parts.slice(0, depth).join('/');
      if (!this.made.has(made)) this.made.set(made, 'dir');
    }
  }

  private failure(error: unknown, entry: TarEntry): ProvisimError {
    if (isProvisimError(error)) return error;
    if (errnoCode(error) === 'EEXIST') return twice(entry);
    return writeFailure(error, this.stagingDir) ?? stagingFailure(error, this.stagingDir);
  }
}

function twice(entry: TarEntry): ProvisimError {
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
