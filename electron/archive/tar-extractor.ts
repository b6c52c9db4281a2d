import type { EventEmitter } from 'node:events';
import { mkdir, rm } from 'node:fs/promises';
import { createGunzip, type Gunzip } from 'node:zlib';
import { Unpack, type ReadEntry } from 'tar';
import { ProvisimError } from '../../shared/provisim-error.ts';
import { DEFAULT_ARCHIVE_LIMITS, type ArchiveLimits } from './archive-limits.ts';
import { overLimit, stagingFailure, unreadable, unsafeEntry } from './archive-errors.ts';
import { detectArchiveFormat, SNIFF_BYTES } from './detect-format.ts';
import { isCwdError, tarEntryReason, tarFailure } from './tar-entry-rules.ts';
import { errnoCode, safeMode } from './entry-safety.ts';

/** What an extraction unpacked. */
export interface ExtractSummary {
  readonly entries: number;
  readonly unpackedBytes: number;
}

/** An archive unpacked to disk while its bytes arrive. */
export interface StreamingExtractor {
  /** Feeds the next bytes of the archive (tar or gzip'd tar, auto-detected); resolves when it is safe to write more (backpressure). Rejects with ProvisimError on an unsafe/invalid archive. */
  write(chunk: Uint8Array): Promise<void>;
  /** Signals the end of the archive; resolves once every file is flushed to disk. */
  end(): Promise<ExtractSummary>;
  /** Stops extraction and removes everything it wrote (the staging dir contents and the dir). */
  abort(): Promise<void>;
}

/** Options of `createTarExtractor`. */
export interface TarExtractorOptions {
  readonly stagingDir: string;
  readonly limits?: ArchiveLimits;
}

interface Sink {
  write(chunk: Uint8Array): boolean;
  end(): void;
  readonly emitter: EventEmitter;
}

class TarExtraction implements StreamingExtractor {
  private readonly head: Buffer[] = [];
  private headBytes = 0;
  private sink: Sink | undefined;
  private unpack: Unpack | undefined;
  private gunzip: Gunzip | undefined;
  private starting: Promise<unknown> = Promise.resolve();
  private finished: Promise<void> = Promise.resolve();
  private markFinished: () => void = () => undefined;
  private failure: ProvisimError | undefined;
  private signalFailure!: () => void;
  private readonly failed = new Promise<void>((resolve) => (this.signalFailure = resolve));
  private cleanup: Promise<void> | undefined;
  private ending: Promise<ExtractSummary> | undefined;
  private entries = 0;
  private unpackedBytes = 0;
  private sawEndMarker = false;

  constructor(
    private readonly stagingDir: string,
    private readonly limits: ArchiveLimits,
  ) {}

  async write(chunk: Uint8Array): Promise<void> {
    if (this.ending) throw new Error('write() after end()');
    await this.rethrow();
    if (!this.sink) {
      this.head.push(Buffer.from(chunk));
      this.headBytes += chunk.byteLength;
      if (this.headBytes < SNIFF_BYTES) return;
      await this.start();
      return this.rethrow();
    }
    // No copy: node-tar keeps the chunk until it is on disk, so callers must not reuse it.
    await this.feed(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength));
  }

  end(): Promise<ExtractSummary> {
    this.ending ??= this.finish();
    return this.ending;
  }

  async abort(): Promise<void> {
    this.fail(new ProvisimError('CANCELLED', { message: 'The extraction was stopped.' }));
    await this.cleanup;
  }

  private async finish(): Promise<ExtractSummary> {
    await this.rethrow();
    if (!this.sink) await this.start();
    await this.rethrow();
    this.sink?.end();
    await Promise.race([this.finished, this.failed]);
    if (!this.failure && !this.sawEndMarker) {
      this.fail(unreadable('it ends before its end-of-archive marker (truncated download?)'));
    }
    await this.rethrow();
    return { entries: this.entries, unpackedBytes: this.unpackedBytes };
  }

  private async start(): Promise<void> {
    const head = Buffer.concat(this.head);
    this.head.length = 0;
    const format = detectArchiveFormat(head.subarray(0, SNIFF_BYTES));
    if (head.length === 0) return this.fail(unreadable('it is empty'));
    if (format !== 'tar' && format !== 'tar.gz') {
      return this.fail(unreadable(`it is ${format === 'unknown' ? 'not a tar file' : format}`));
    }
    this.starting = mkdir(this.stagingDir, { recursive: true });
    try {
      await this.starting;
    } catch (error) {
      return this.fail(stagingFailure(error, this.stagingDir));
    }
    if (this.failure) return this.rethrow();
    this.finished = new Promise((resolve) => (this.markFinished = resolve));
    const unpack = this.createUnpack();
    this.unpack = unpack;
    unpack.once('end', () => this.markFinished());
    this.sink =
      format === 'tar.gz' ? this.createGunzip(unpack) : { ...bind(unpack), emitter: unpack };
    await this.feed(head);
  }

  private createUnpack(): Unpack {
    const unpack = new Unpack({
      cwd: this.stagingDir,
      strict: true,
      preserveOwner: false,
      // Decompression happens before node-tar sees the bytes; never let it guess a codec.
      brotli: false,
      zstd: false,
      filter: (_path, entry) => this.admit(entry as ReadEntry),
    });
    unpack.on('error', (error: unknown) => {
      // node-tar stops for good when its target folder vanished: nothing is left to wait for.
      if (isCwdError(error)) this.markFinished();
      this.fail(tarFailure(error, this.stagingDir));
    });
    // node-tar aborts only when its own decompression fails (a tar that starts with gzip magic
    // after we inflated it), which happens on its first bytes: it will never end, nor write.
    unpack.on('abort', () => this.markFinished());
    unpack.on('nullBlock', () => (this.sawEndMarker = true));
    unpack.on('eof', () => (this.sawEndMarker = true));
    unpack.on('ignoredEntry', (entry: ReadEntry) => {
      // Entries of a type node-tar does not know are skipped before the filter sees them.
      if (!entry.meta) this.fail(unsafeEntry(entry.path, `is an unsupported ${entry.type} entry`));
    });
    return unpack;
  }

  private createGunzip(unpack: Unpack): Sink {
    // Big output chunks: the default 16 KiB ones make inflating several times slower.
    const gunzip = createGunzip({ chunkSize: 1024 * 1024 });
    this.gunzip = gunzip;
    gunzip.on('data', (chunk: Buffer) => {
      if (!unpack.write(chunk)) {
        gunzip.pause();
        unpack.once('drain', () => gunzip.resume());
      }
    });
    gunzip.on('end', () => unpack.end());
    gunzip.on('error', (error) =>
      this.fail(unreadable(`its gzip data is damaged (${error.message})`, error)),
    );
    return { ...bind(gunzip), emitter: gunzip };
  }

  private admit(entry: ReadEntry): boolean {
    if (this.failure) return false;
    this.entries += 1;
    if (this.entries > this.limits.maxEntries) {
      this.fail(overLimit('entries', this.limits.maxEntries));
      return false;
    }
    const reason = tarEntryReason(entry);
    if (reason) {
      this.fail(unsafeEntry(entry.path, reason));
      return false;
    }
    this.unpackedBytes += entry.size;
    if (this.unpackedBytes > this.limits.maxUnpackedBytes) {
      this.fail(overLimit('bytes of files', this.limits.maxUnpackedBytes));
      return false;
    }
    entry.mode = safeMode(entry.mode, entry.type === 'Directory');
    return true;
  }

  private async feed(chunk: Buffer): Promise<void> {
    const sink = this.sink;
    if (!sink || this.failure) return this.rethrow();
    if (!sink.write(chunk)) {
      await Promise.race([
        new Promise((resolve) => sink.emitter.once('drain', resolve)),
        this.failed,
      ]);
    }
    await this.rethrow();
  }

  private fail(error: ProvisimError): void {
    if (this.failure) return;
    this.failure = error;
    this.signalFailure();
    this.cleanup = this.removeStaging();
    // Ending (never aborting) the parser lets node-tar finish the files it has open, so the
    // staging folder can be removed once nothing writes into it any more.
    if (this.gunzip) {
      this.gunzip.removeAllListeners('data');
      this.gunzip.destroy();
    }
    const unpack = this.unpack;
    if (unpack) queueMicrotask(() => unpack.end());
  }

  private async removeStaging(): Promise<void> {
    await this.starting.catch(() => undefined);
    await this.finished;
    await rm(this.stagingDir, { recursive: true, force: true, maxRetries: 3 }).catch(
      (error: unknown) => {
        // A staging path under a file was never created: there is nothing to remove.
        if (errnoCode(error) !== 'ENOTDIR') throw error;
      },
    );
  }

  private async rethrow(): Promise<void> {
    if (!this.failure) return;
    // The archive's problem is the news; abort() reports a cleanup that failed.
    await this.cleanup?.catch(() => undefined);
    throw this.failure;
  }
}

function bind(stream: {
  write(chunk: Uint8Array): boolean;
  end(): unknown;
}): Omit<Sink, 'emitter'> {
  return { write: (chunk) => stream.write(chunk), end: () => void stream.end() };
}

/** Starts a streaming, safety-checked extraction of a tar or gzip'd tar into `stagingDir`. */
export function createTarExtractor(options: TarExtractorOptions): StreamingExtractor {
  return new TarExtraction(options.stagingDir, options.limits ?? DEFAULT_ARCHIVE_LIMITS);
}
