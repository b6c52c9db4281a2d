import { createHash, type Hash } from 'node:crypto';
import { constants, createReadStream } from 'node:fs';
import { type FileHandle, open } from 'node:fs/promises';
import type { ArchiveFormat } from '../../archive/detect-format.ts';
import { ConsumerFeed } from './consumer-feed.ts';
import { diskWriteError, throwIfCancelled } from './download-errors.ts';
import type { ByteConsumer } from './download-types.ts';

const REPLAY_CHUNK_BYTES = 1024 * 1024;

/** The partial file, the running SHA-256 and the consumer, fed in one pass. */
export class DownloadTarget {
  private hash: Hash = createHash('sha256');
  private feed: ConsumerFeed;
  private held = 0;

  private constructor(
    private readonly file: FileHandle,
    private readonly path: string,
    private readonly createConsumer?: (format: ArchiveFormat) => ByteConsumer | undefined,
  ) {
    this.feed = new ConsumerFeed(createConsumer);
  }

  /** Opens (or creates) the partial file without truncating it. */
  static async open(
    path: string,
    createConsumer?: (format: ArchiveFormat) => ByteConsumer | undefined,
  ): Promise<DownloadTarget> {
    try {
      const file = await open(path, constants.O_RDWR | constants.O_CREAT, 0o644);
      return new DownloadTarget(file, path, createConsumer);
    } catch (error) {
      throw diskWriteError(error, path);
    }
  }

  /** Bytes of the image held: hashed, on disk and given to the consumer. */
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

  /** Size of the partial file on disk. */
  async sizeOnDisk(): Promise<number> {
    return (await this.file.stat()).size;
  }

  /** Feeds the partial file of an earlier run through the hash and a fresh consumer, at disk speed. */
  async replay(length: number, signal?: AbortSignal): Promise<void> {
    if (length === 0) return;
    const stream = createReadStream(this.path, {
      start: 0,
      end: length - 1,
      highWaterMark: REPLAY_CHUNK_BYTES,
    });
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      throwIfCancelled(signal);
      this.hash.update(chunk);
      this.held += chunk.length;
      await this.feed.push(chunk);
    }
  }

  /** Appends chunks that arrived from the network (file, hash and consumer at once); returns their length. */
  async write(chunks: readonly Uint8Array[]): Promise<number> {
    const position = this.held;
    let length = 0;
    for (const chunk of chunks) length += chunk.length;
    this.held += length;
    // The disk write runs on the thread pool while this thread hashes and feeds the consumer.
    const written = writeFully(this.file, chunks, position, length);
    for (const chunk of chunks) this.hash.update(chunk);
    const fed = this.feedAll(chunks);
    const [disk, feed] = await Promise.allSettled([written, fed]);
    if (disk.status === 'rejected') throw diskWriteError(disk.reason, this.path);
    if (feed.status === 'rejected') throw feed.reason;
    return length;
  }

  /** Drops everything held: empty file, new hash, the old consumer aborted and a new one to come. */
  async restart(): Promise<void> {
    await this.feed.abort();
    this.feed = new ConsumerFeed(this.createConsumer);
    this.hash = createHash('sha256');
    this.held = 0;
    try {
      await this.file.truncate(0);
    } catch (error) {
      throw diskWriteError(error, this.path);
    }
  }

  /** Settles the format (for files shorter than the sniff window) and returns the hex digest. */
  async finish(): Promise<{ format: ArchiveFormat; sha256: string }> {
    const format = await this.feed.complete();
    return { format, sha256: this.hash.digest('hex') };
  }

  /** Ends the consumer and returns its result (throws its error). */
  async endConsumer(): Promise<unknown> {
    return this.feed.end();
  }

  /** Aborts the consumer; never throws. */
  async abortConsumer(): Promise<void> {
    await this.feed.abort();
  }

  /** Flushes and closes the partial file; never throws. */
  async close(): Promise<void> {
    await this.file.close().catch(() => undefined);
  }

  private async feedAll(chunks: readonly Uint8Array[]): Promise<void> {
    // node-tar writes each file through a stream with one fs.write in flight at a time; one
    // buffer per batch turns many 64 KiB round trips to the thread pool into one large write.
    if (chunks.length > 1) return this.feed.push(Buffer.concat(chunks as Uint8Array[]));
    for (const chunk of chunks) await this.feed.push(chunk);
  }
}

async function writeFully(
  file: FileHandle,
  chunks: readonly Uint8Array[],
  position: number,
  length: number,
): Promise<void> {
  let { bytesWritten } = await file.writev(chunks as Uint8Array[], position);
  // Short writes are rare on regular files, but a nearly full disk can produce one.
  while (bytesWritten < length) {
    const rest = Buffer.concat(chunks as Uint8Array[]).subarray(bytesWritten);
    const result = await file.write(rest, 0, rest.length, position + bytesWritten);
    if (result.bytesWritten === 0) throw Object.assign(new Error('short write'), { code: 'EIO' });
    bytesWritten += result.bytesWritten;
  }
}
