import { once } from 'node:events';
import { mkdir, rm } from 'node:fs/promises';
import { createGunzip, type Gunzip } from 'node:zlib';
import { ProvisimError, isProvisimError } from '../../shared/provisim-error.ts';
import type { ArchiveLimits } from './archive-limits.ts';
import { isDestinationFailure, stagingFailure, unreadable } from './archive-errors.ts';
import { errnoCode } from './entry-safety.ts';
import type { EntryChecker } from './entry-checker.ts';
import { StagingWriter, type ExtractSummary } from './staging-writer.ts';
import type { TarJournal } from './tar-journal.ts';
import { TarFramer, type TarPart } from './tar-framer.ts';
import { crashPoint } from '../crash-points.ts';

// GNU tar pads archives to 10 KiB records; anything much beyond the end marker is not a VM.
const MAX_TRAILING_BYTES = 1024 * 1024;

/** Where an extraction writes, and how its bytes arrive. */
export interface ExtractionSetup {
  readonly stagingDir: string;
  readonly limits: ArchiveLimits;
  readonly gzip: boolean;
  /** Takes the entries in place of the staging folder: checked, listed, never written. */
  readonly checker?: EntryChecker;
}

/** One archive being unpacked into its staging folder as its bytes arrive. */
export class TarExtraction {
  readonly framer = new TarFramer();
  readonly writer: StagingWriter | EntryChecker;
  private trailing = 0;
  private failure: ProvisimError | undefined;
  private cleanup: Promise<void> | undefined;
  private gunzip: Gunzip | undefined;
  private inflating: Promise<void> | undefined;
  private journal: TarJournal | undefined;
  private journalPath: string | undefined;

  constructor(private readonly setup: ExtractionSetup) {
    this.writer = setup.checker ?? new StagingWriter(setup.stagingDir, setup.limits);
    if (setup.gzip) this.startInflating();
  }

  /** Whether the extraction keeps what it unpacked across runs (a journal is written). */
  get resumable(): boolean {
    return this.journal !== undefined;
  }

  /** Journals every entry from now on, which makes the staged files a resumable copy of the archive. */
  attachJournal(journal: TarJournal, path: string): void {
    this.journal = journal;
    this.journalPath = path;
  }

  /** Creates the staging folder, replacing whatever an earlier run left there. */
  async prepareStaging(): Promise<void> {
    await this.guard(async () => {
      // A staging path below a file cannot be removed either; mkdir then says why.
      await rm(this.setup.stagingDir, { recursive: true, force: true }).catch(() => undefined);
      await mkdir(this.setup.stagingDir, { recursive: true });
    });
  }

  /** Takes the next archive bytes (kept by reference until written). */
  async write(chunk: Uint8Array): Promise<void> {
    await this.rethrow();
    if (!this.gunzip) return this.guard(() => this.consume(chunk));
    if (!this.gunzip.write(chunk)) {
      await Promise.race([once(this.gunzip, 'drain').catch(() => undefined), this.inflating]);
    }
    await this.rethrow();
  }

  /** Resolves once every byte taken is on disk, as far as a later run can use it (plain tar). */
  async flush(): Promise<void> {
    await this.rethrow();
    // Inflated bytes are not the download's bytes: a gzip'd archive is kept as a partial file.
    if (this.gunzip) return;
    await this.guard(() => this.writer.flush());
  }

  /** Ends the archive: every file flushed, the end marker seen; returns what was unpacked. */
  async end(): Promise<ExtractSummary> {
    await this.rethrow();
    if (this.gunzip) {
      this.gunzip.end();
      await this.inflating;
      await this.rethrow();
    }
    await this.guard(async () => {
      const last = this.framer.finish();
      if (last) await this.take(last);
      if (!this.framer.ended) {
        throw unreadable('it ends before its end-of-archive marker (truncated download?)');
      }
      await this.writer.closeFile();
      await this.journal?.close();
    });
    return this.writer.summary;
  }

  /** Stops for good and removes the staging folder and the journal. */
  async abort(): Promise<void> {
    this.fail(new ProvisimError('CANCELLED', { message: 'The extraction was stopped.' }));
    await this.cleanup;
  }

  /** Stops but keeps what is on disk and in the journal, for the next run to continue. */
  async suspend(): Promise<void> {
    if (!this.resumable || this.failure) return this.abort();
    this.failure = new ProvisimError('CANCELLED', { message: 'The extraction was paused.' });
    this.gunzip?.destroy();
    await this.writer.closeFile().catch(() => this.writer.discard());
    await this.journal?.close().catch(() => undefined);
  }

  /** Records the hash of the first `held` bytes in the journal; never waits. */
  checkpoint(held: number, sha256: string): void {
    if (this.failure) return;
    this.journal?.append({ kind: 'checkpoint', held, sha256 }).catch(() => undefined);
  }

  /** Feeds bytes through the framer and acts on every part. */
  async consume(chunk: Uint8Array): Promise<void> {
    for (const part of this.framer.push(chunk)) await this.take(part);
  }

  private async take(part: TarPart): Promise<void> {
    const journal = this.journal;
    switch (part.kind) {
      case 'data': {
        const waiting = this.writer.data(part.bytes);
        if (waiting) await waiting;
        return;
      }
      case 'entry':
        // The file before it is whole on disk before the journal names a later entry: a resume
        // takes every listed file but the last as complete.
        await this.writer.closeFile();
        // The entry is in the journal before any of it is on disk, so the next run knows it.
        await journal?.append(part);
        crashPoint('after-entry-journaled');
        return this.writer.begin(part.entry);
      case 'end':
        await this.writer.closeFile();
        await journal?.append({ kind: 'end', offset: part.offset, literal: part.literal });
        return;
      case 'trailing':
        this.trailing += part.bytes.length;
        if (this.trailing > MAX_TRAILING_BYTES) {
          throw unreadable('it carries more than 1 MiB of data after its end-of-archive marker');
        }
        await journal?.append({
          kind: 'trailing',
          offset: this.framer.position - part.bytes.length,
          literal: Buffer.from(part.bytes),
        });
        return;
    }
  }

  /** Counts trailing bytes replayed from an earlier run. */
  countTrailing(bytes: number): void {
    this.trailing += bytes;
  }

  private startInflating(): void {
    // Big output chunks: the default 16 KiB ones make inflating several times slower.
    const gunzip = createGunzip({ chunkSize: 1024 * 1024 });
    this.gunzip = gunzip;
    this.inflating = (async () => {
      try {
        // Deflate cannot expand more than about 1032 times, so a gzip'd tar is bounded by the
        // sizes its entries declare, the free-space checks and the cap on trailing bytes.
        for await (const out of gunzip) await this.consume(out as Buffer);
      } catch (error) {
        const reason = isProvisimError(error)
          ? error
          : unreadable(`its gzip data is damaged (${String((error as Error).message)})`, error);
        this.fail(reason);
      }
    })();
  }

  private async guard(step: () => Promise<void>): Promise<void> {
    try {
      await step();
    } catch (error) {
      this.fail(isProvisimError(error) ? error : stagingFailure(error, this.setup.stagingDir));
      await this.rethrow();
    }
  }

  // The archive's problem is the news, once its staging folder is gone; abort() reports a
  // cleanup that failed.
  private async rethrow(): Promise<void> {
    if (!this.failure) return;
    await this.cleanup?.catch(() => undefined);
    throw this.failure;
  }

  private fail(error: ProvisimError): ProvisimError {
    if (this.failure) return this.failure;
    this.failure = error;
    this.gunzip?.destroy();
    // A full or read-only disk is no fault of the archive: what is on disk is still good.
    this.cleanup =
      this.resumable && isDestinationFailure(error) ? this.keepForLater() : this.removeEverything();
    return error;
  }

  private async keepForLater(): Promise<void> {
    await this.writer.discard();
    await this.journal?.close().catch(() => undefined);
  }

  private async removeEverything(): Promise<void> {
    await this.writer.discard();
    await this.journal?.close().catch(() => undefined);
    if (this.journalPath) await rm(this.journalPath, { force: true });
    if (this.setup.checker) return;
    await rm(this.setup.stagingDir, { recursive: true, force: true, maxRetries: 3 }).catch(
      (error: unknown) => {
        // A staging path under a file was never created: there is nothing to remove.
        if (errnoCode(error) !== 'ENOTDIR') throw error;
      },
    );
  }
}
