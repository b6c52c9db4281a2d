import { rm } from 'node:fs/promises';
import { DEFAULT_ARCHIVE_LIMITS, type ArchiveLimits } from './archive-limits.ts';
import { unreadable } from './archive-errors.ts';
import { detectArchiveFormat, SNIFF_BYTES } from './detect-format.ts';
import type { EntryChecker } from './entry-checker.ts';
import { planResume } from './staged-archive.ts';
import type { ExtractSummary } from './staging-writer.ts';
import { TarExtraction } from './tar-extraction.ts';
import { TarJournal } from './tar-journal.ts';
import { replayInto, StagedArchiveMismatch } from './tar-replay.ts';

export type { ExtractSummary } from './staging-writer.ts';

/** An archive unpacked to disk while its bytes arrive. */
export interface StreamingExtractor {
  /** Feeds the next bytes of the archive, kept by reference until written; resolves when more may come (backpressure). Rejects with ProvisimError on an unsafe or invalid archive. */
  write(chunk: Uint8Array): Promise<void>;
  /** Resolves once every byte written so far is on disk (what a later run can resume from). */
  flush(): Promise<void>;
  /** Signals the end of the archive; resolves once every file is on disk. */
  end(): Promise<ExtractSummary>;
  /** Stops and removes everything it wrote (the staging folder, and the journal). */
  abort(): Promise<void>;
  /** Stops but keeps the staging folder and its journal for a later run (plain tar with a journal); otherwise aborts. */
  suspend(): Promise<void>;
  /** Records the SHA-256 of the archive's first `held` bytes in the journal. */
  checkpoint(held: number, sha256: string): void;
  /** True when a journal makes the staged files a resumable copy of the archive. */
  readonly keepsBytes: boolean;
}

/** Options of `createTarExtractor`. */
export interface TarExtractorOptions {
  readonly stagingDir: string;
  readonly limits?: ArchiveLimits;
  /** The format when the caller already sniffed it; otherwise the first bytes decide. */
  readonly format?: 'tar' | 'tar.gz';
  /** Where to keep a journal of a plain tar, so a later run can continue from the staged files. */
  readonly journalPath?: string;
  /** Checks the entries without writing them: no staging folder, no journal, nothing to resume. */
  readonly checker?: EntryChecker;
}

/** An extraction an earlier run left, ready to continue. */
export interface ResumedExtraction {
  readonly extractor: StreamingExtractor;
  /** Bytes of the archive stream the staged files and the journal hold. */
  readonly held: number;
  /** SHA-256 of the stream's first bytes, by length, as recorded. */
  readonly checkpoints: ReadonlyMap<number, string>;
  /** Reads the held bytes back (for the hash) while the extractor takes its place again; throws when the staged files disagree with the journal. */
  replay(): AsyncIterable<Uint8Array>;
}

class Extractor implements StreamingExtractor {
  private head: Buffer[] = [];
  private headBytes = 0;
  private starting: Promise<TarExtraction> | undefined;

  constructor(
    private readonly options: TarExtractorOptions,
    private extraction?: TarExtraction,
  ) {}

  get keepsBytes(): boolean {
    // A checker keeps nothing, but needs no partial file either: the bytes are not wanted.
    if (this.options.checker) return true;
    return (
      this.extraction?.resumable ?? (this.options.format === 'tar' && !!this.options.journalPath)
    );
  }

  async write(chunk: Uint8Array): Promise<void> {
    if (this.extraction) return this.extraction.write(chunk);
    if (this.options.format === undefined) {
      this.head.push(Buffer.from(chunk));
      this.headBytes += chunk.byteLength;
      if (this.headBytes < SNIFF_BYTES) return;
      const head = Buffer.concat(this.head);
      this.head = [];
      return (await this.start(head)).write(head);
    }
    return (await this.start(chunk)).write(chunk);
  }

  async flush(): Promise<void> {
    await this.extraction?.flush();
  }

  async end(): Promise<ExtractSummary> {
    if (!this.extraction) {
      const head = Buffer.concat(this.head);
      if (head.length === 0) throw unreadable('it is empty');
      await (await this.start(head)).write(head);
    }
    return this.extraction!.end();
  }

  async abort(): Promise<void> {
    await this.starting?.catch(() => undefined);
    if (this.extraction) return this.extraction.abort();
    if (this.options.journalPath) await rm(this.options.journalPath, { force: true });
  }

  async suspend(): Promise<void> {
    await this.starting?.catch(() => undefined);
    await this.extraction?.suspend();
  }

  checkpoint(held: number, sha256: string): void {
    this.extraction?.checkpoint(held, sha256);
  }

  private start(head: Uint8Array): Promise<TarExtraction> {
    this.starting ??= (async () => {
      const format = this.options.format ?? detectArchiveFormat(head.subarray(0, SNIFF_BYTES));
      if (format !== 'tar' && format !== 'tar.gz') {
        throw unreadable(`it is ${format === 'unknown' ? 'not a tar file' : format}`);
      }
      const { stagingDir, journalPath, checker } = this.options;
      const limits = this.options.limits ?? DEFAULT_ARCHIVE_LIMITS;
      const journaled = format === 'tar' && journalPath !== undefined && !checker;
      const gzip = format === 'tar.gz';
      const extraction = new TarExtraction({ stagingDir, limits, gzip, checker });
      if (!checker) await extraction.prepareStaging();
      if (journaled)
        extraction.attachJournal(await TarJournal.create(journalPath, stagingDir), journalPath);
      this.extraction = extraction;
      return extraction;
    })();
    return this.starting;
  }
}

/** Starts a streaming, safety-checked extraction of a tar or gzip'd tar into `stagingDir`. */
export function createTarExtractor(options: TarExtractorOptions): StreamingExtractor {
  return new Extractor(options);
}

/** Picks up the journaled extraction an earlier run left in `stagingDir`; undefined when there is none. Throws StagedArchiveMismatch, after removing them, when the journal and the staged files disagree. */
export async function resumeTarExtractor(options: {
  readonly stagingDir: string;
  readonly journalPath: string;
  readonly limits?: ArchiveLimits;
}): Promise<ResumedExtraction | undefined> {
  const { stagingDir, journalPath } = options;
  const journal = await TarJournal.load(journalPath);
  const plan = journal?.stagingDir === stagingDir ? await planResume(journal) : undefined;
  if (!plan || plan.held === 0) {
    await rm(journalPath, { force: true });
    await rm(stagingDir, { recursive: true, force: true });
    if (journal && !plan) {
      throw new StagedArchiveMismatch('the staged files are not those the journal lists');
    }
    return undefined;
  }
  const limits = options.limits ?? DEFAULT_ARCHIVE_LIMITS;
  const extraction = new TarExtraction({ stagingDir, limits, gzip: false });
  // The journal is written again from what still holds, so a record past it never lingers.
  const checkpoints = [...plan.checkpoints].map(([held, sha256]) => ({
    kind: 'checkpoint' as const,
    held,
    sha256,
  }));
  const rewritten = await TarJournal.rewrite(journalPath, stagingDir, [
    ...plan.records,
    ...checkpoints,
  ]);
  extraction.attachJournal(rewritten, journalPath);
  const extractor = new Extractor({ stagingDir, limits, format: 'tar', journalPath }, extraction);
  return {
    extractor,
    held: plan.held,
    checkpoints: plan.checkpoints,
    replay: () => replayInto(extraction, plan),
  };
}
