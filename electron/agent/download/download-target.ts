import { createHash, type Hash } from 'node:crypto';
import type { ArchiveFormat } from '../../archive/detect-format.ts';
import { ConsumerFeed } from './consumer-feed.ts';
import { throwIfCancelled } from './download-errors.ts';
import type { ByteConsumer, ResumedConsumer } from './download-types.ts';
import { PartialFile } from './partial-file.ts';
import { crashPoint } from '../../crash-points.ts';

// How often a consumer that keeps the bytes records the hash so far: often enough that a
// changed staged file is noticed early, rarely enough to cost nothing.
const CHECKPOINT_BYTES = 64 * 1024 * 1024;

/** The running SHA-256, the consumer, and the partial file when the consumer cannot keep the bytes. */
export class DownloadTarget {
  private hash: Hash = createHash('sha256');
  private feed: ConsumerFeed;
  private held = 0;
  private readonly partial: PartialFile;
  // Undecided until the format is sniffed; the chunks seen until then are kept in `head`.
  private toPartial: boolean | undefined;
  private head: Uint8Array[] = [];
  private nextCheckpoint: number;

  constructor(
    partialPath: string,
    private readonly createConsumer?: (format: ArchiveFormat) => ByteConsumer | undefined,
    private readonly checkpointBytes = CHECKPOINT_BYTES,
    private readonly acceptsPacked = false,
  ) {
    this.partial = new PartialFile(partialPath);
    this.feed = new ConsumerFeed(createConsumer, acceptsPacked);
    this.nextCheckpoint = checkpointBytes;
  }

  /** Bytes of the image held: hashed, and kept on disk by the partial file or the consumer. */
  get bytes(): number {
    return this.held;
  }

  /** The sniffed format, once the first bytes went through. */
  get format(): ArchiveFormat | undefined {
    return this.feed.format;
  }

  /** The consumer's first error, if it failed while being fed. */
  get consumerFailure(): { error: unknown } | undefined {
    return this.feed.consumerFailure;
  }

  /** Throws before any byte is fetched when the downloads folder cannot be written. */
  assertWritable(): Promise<void> {
    return this.partial.assertWritable();
  }

  /** Size of a partial file an earlier run left. */
  partialSize(): Promise<number> {
    return this.partial.size();
  }

  /** Feeds the partial file of an earlier run through the hash and a fresh consumer, at disk speed. */
  async replayPartial(length: number, signal?: AbortSignal): Promise<void> {
    this.toPartial = true;
    for await (const chunk of this.partial.read(length)) {
      throwIfCancelled(signal);
      this.held += chunk.length;
      this.hash.update(chunk);
      await this.feed.push(chunk);
    }
  }

  /** Takes a consumer that kept an earlier run's bytes: re-hashes them and checks the checkpoints. */
  async adopt(resumed: ResumedConsumer, signal?: AbortSignal): Promise<void> {
    try {
      for await (const chunk of resumed.replay()) {
        throwIfCancelled(signal);
        crashPoint('during-replay');
        this.hash.update(chunk);
        this.held += chunk.length;
        const recorded = resumed.checkpoints.get(this.held);
        if (recorded !== undefined && this.hash.copy().digest('hex') !== recorded) {
          throw new Error(`the bytes held up to ${this.held} changed since they were downloaded`);
        }
      }
      if (this.held !== resumed.held) throw new Error('the staged files changed while being read');
    } catch (error) {
      this.resetHash();
      throw error;
    }
    this.feed = ConsumerFeed.continuing(resumed.consumer, 'tar');
    this.toPartial = false;
    this.nextCheckpoint = this.held + this.checkpointBytes;
  }

  /** Takes chunks that arrived from the network: hash, consumer, and the partial file if needed. */
  async write(chunks: readonly Uint8Array[]): Promise<number> {
    const position = this.held;
    let length = 0;
    for (const chunk of chunks) length += chunk.length;
    this.held += length;
    const written = this.toPartial ? this.partial.write(chunks, position, length) : undefined;
    if (this.toPartial === undefined) this.head.push(...chunks);
    const fed = this.feedAll(chunks);
    // One write per batch, and progress only counts bytes on disk: a crash right after a
    // progress report loses none of them.
    const flushed = fed.then(async () => {
      if (this.toPartial === undefined && this.feed.format !== undefined) await this.decide();
      if (this.toPartial === false) await this.feed.flush();
    });
    // The writes run on the thread pool while this thread hashes (SHA extensions, ~0.6 s/GiB).
    for (const chunk of chunks) this.hash.update(chunk);
    const [disk, feed] = await Promise.allSettled([written, flushed]);
    if (disk.status === 'rejected') throw disk.reason;
    if (feed.status === 'rejected') throw feed.reason;
    if (this.toPartial === false && this.held >= this.nextCheckpoint) {
      this.nextCheckpoint = this.held + this.checkpointBytes;
      this.feed.checkpoint(this.held, this.hash.copy().digest('hex'));
      crashPoint('after-checkpoint');
    }
    return length;
  }

  /** Drops everything held: no partial, new hash, the old consumer aborted and a new one to come. */
  async restart(): Promise<void> {
    await this.feed.abort();
    this.feed = new ConsumerFeed(this.createConsumer, this.acceptsPacked);
    this.resetHash();
    this.toPartial = undefined;
    this.head = [];
    this.nextCheckpoint = this.checkpointBytes;
    await this.partial.truncate();
  }

  /** Settles the format (for files shorter than the sniff window) and returns the hex digest. */
  async finish(): Promise<{ format: ArchiveFormat; sha256: string }> {
    const format = await this.feed.complete();
    if (this.toPartial === undefined) await this.decide();
    return { format, sha256: this.hash.digest('hex') };
  }

  /** Ends the consumer and returns its result (throws its error). */
  endConsumer(): Promise<unknown> {
    return this.feed.end();
  }

  /** Stops the consumer but lets it keep what it holds for a later run; never throws. */
  suspendConsumer(): Promise<void> {
    return this.feed.suspend();
  }

  /** Aborts the consumer, which removes what it made; never throws. */
  abortConsumer(): Promise<void> {
    return this.feed.abort();
  }

  /** Closes the partial file; never throws. */
  close(): Promise<void> {
    return this.partial.close();
  }

  private resetHash(): void {
    this.hash = createHash('sha256');
    this.held = 0;
  }

  // The format is known: a consumer that keeps the bytes needs no partial file.
  private async decide(): Promise<void> {
    this.toPartial = !this.feed.keepsBytes;
    const head = this.head;
    this.head = [];
    if (!this.toPartial || head.length === 0) return;
    const length = head.reduce((sum, chunk) => sum + chunk.length, 0);
    await this.partial.write(head, 0, length);
  }

  private async feedAll(chunks: readonly Uint8Array[]): Promise<void> {
    for (const chunk of chunks) await this.feed.push(chunk);
  }
}
