import { lstat, mkdir, readlink, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { isProvisimError, type ProvisimError } from '../../shared/provisim-error.ts';
import type { ArchiveLimits } from './archive-limits.ts';
import { stagingFailure, unreadable, writeFailure } from './archive-errors.ts';
import { EntryAdmission, twice, type ExtractSummary } from './entry-admission.ts';
import { errnoCode, safeMode } from './entry-safety.ts';
import { FileSink } from './file-sink.ts';
import { assertRoomFor } from './free-space.ts';
import type { TarEntry } from './tar-framer.ts';

// How often the free space is checked again while one large file is written.
const ROOM_CHECK_BYTES = 256 * 1024 * 1024;

export type { ExtractSummary } from './entry-admission.ts';
export { stagedPath } from './entry-admission.ts';

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
  private readonly admission: EntryAdmission;
  private current: { sink: FileSink; entry: TarEntry; left: number } | undefined;
  private sinceRoomCheck = 0;

  constructor(
    readonly stagingDir: string,
    private readonly limits: ArchiveLimits,
  ) {
    this.admission = new EntryAdmission(limits);
  }

  /** Entries and file bytes admitted so far. */
  get summary(): ExtractSummary {
    return this.admission.summary;
  }

  /** Whether the current file still expects data. */
  get inFile(): boolean {
    return this.current !== undefined && this.current.left > 0;
  }

  /** Checks an entry and creates it (folder, link, or an empty file that data then fills). */
  async begin(entry: TarEntry): Promise<void> {
    await this.closeFile();
    const admission = this.admission;
    const path = admission.admit(entry);
    if (path === undefined) return;
    const full = join(this.stagingDir, path);
    try {
      admission.assertNew(path, entry);
      if (entry.type === 'Directory') {
        await mkdir(full, { recursive: true, mode: safeMode(entry.mode, true) ?? 0o755 });
        admission.record(path, 'dir');
        return;
      }
      await this.makeParents(path);
      if (entry.type === 'SymbolicLink') {
        await symlink(entry.linkpath!, full);
        admission.record(path, 'link');
        return;
      }
      await this.assertRoom(entry.size);
      const mode = safeMode(entry.mode, false) ?? 0o644;
      const sink = await FileSink.open(full, { create: true, mode, position: 0 });
      admission.record(path, 'file');
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
    const path = this.admission.admit(entry);
    if (path === undefined) return true;
    const full = join(this.stagingDir, path);
    const stats = await lstat(full).catch(() => undefined);
    const kind =
      entry.type === 'Directory' ? 'dir' : entry.type === 'SymbolicLink' ? 'link' : 'file';
    this.admission.record(path, kind);
    if (kind === 'dir') return stats?.isDirectory() === true;
    if (kind === 'link') {
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

  private async makeParents(path: string): Promise<void> {
    const cut = path.lastIndexOf('/');
    if (cut === -1) return;
    const parent = path.slice(0, cut);
    if (this.admission.made.get(parent) === 'dir') return;
    await mkdir(join(this.stagingDir, parent), { recursive: true, mode: 0o755 });
  }

  private failure(error: unknown, entry: TarEntry): ProvisimError {
    if (isProvisimError(error)) return error;
    if (errnoCode(error) === 'EEXIST') return twice(entry);
    return writeFailure(error, this.stagingDir) ?? stagingFailure(error, this.stagingDir);
  }
}
