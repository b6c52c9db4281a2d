import {
  type ArchiveFormat,
  SNIFF_BYTES,
  detectArchiveFormat,
} from '../../archive/detect-format.ts';
import { ProvisimError } from '../../../shared/provisim-error.ts';
import { isDestinationFailure } from '../../archive/archive-errors.ts';
import type { ByteConsumer } from './download-types.ts';

/** Sniffs the archive format from the first bytes, then streams every byte to the consumer. */
export class ConsumerFeed {
  private readonly head = Buffer.alloc(SNIFF_BYTES);
  private headLength = 0;
  private pending: Uint8Array[] = [];
  private detected: ArchiveFormat | undefined;
  private consumer: ByteConsumer | undefined;
  private failure: { error: unknown } | undefined;

  constructor(
    private readonly createConsumer?: (format: ArchiveFormat) => ByteConsumer | undefined,
    // A hypervisor's own packed VM is neither tar, gzip nor zip: kept whole, for it to unpack.
    private readonly acceptsPacked = false,
  ) {}

  /** A feed for a consumer already past the sniff, as an earlier run left it. */
  static continuing(consumer: ByteConsumer, format: ArchiveFormat): ConsumerFeed {
    const feed = new ConsumerFeed();
    feed.detected = format;
    feed.consumer = consumer;
    return feed;
  }

  /** The sniffed format, once known. */
  get format(): ArchiveFormat | undefined {
    return this.detected;
  }

  /** Whether the consumer keeps every byte itself, so no partial file is needed. */
  get keepsBytes(): boolean {
    return this.consumer?.keepsBytes === true && this.failure === undefined;
  }

  /** Waits until the consumer has every byte it took on disk; its failure is kept, as for write. */
  async flush(): Promise<void> {
    if (this.consumer?.flush === undefined) return;
    try {
      await this.consumer.flush();
    } catch (error) {
      this.failed(error);
      await this.abort();
    }
  }

  /** Passes a checkpoint of the hash on to the consumer. */
  checkpoint(held: number, sha256: string): void {
    this.consumer?.checkpoint?.(held, sha256);
  }

  /** Stops the consumer but lets it keep what it holds (when it can); never throws. */
  async suspend(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = undefined;
    this.pending = [];
    const stop = consumer?.suspend ? consumer.suspend() : consumer?.abort();
    await stop?.catch(() => undefined);
  }

  /** The consumer's first error, kept until the end so a checksum mismatch can win over it. */
  get consumerFailure(): { error: unknown } | undefined {
    return this.failure;
  }

  /** Feeds bytes in order; throws NOT_A_DIRECT_LINK or ARCHIVE_INVALID as soon as the head is known. */
  async push(chunk: Uint8Array): Promise<void> {
    if (this.detected === undefined) {
      const take = Math.min(chunk.length, SNIFF_BYTES - this.headLength);
      this.head.set(chunk.subarray(0, take), this.headLength);
      this.headLength += take;
      this.pending.push(chunk);
      if (this.headLength < SNIFF_BYTES) return;
      await this.decide();
      return;
    }
    if (this.consumer !== undefined) await this.write(chunk);
  }

  /** Decides the format from fewer bytes when the whole file is shorter than the sniff window. */
  async complete(): Promise<ArchiveFormat> {
    if (this.detected === undefined) await this.decide();
    return this.detected!;
  }

  /** Ends the consumer and returns its result; throws its error. */
  async end(): Promise<unknown> {
    if (this.failure !== undefined) throw this.failure.error;
    const consumer = this.consumer;
    this.consumer = undefined;
    try {
      return await consumer?.end();
    } catch (error) {
      // Let the consumer clean up after a failed finish (staging folder, open files).
      await consumer?.abort().catch(() => undefined);
      throw error;
    }
  }

  /** Aborts the consumer (if any is still fed); never throws. */
  async abort(): Promise<void> {
    const consumer = this.consumer;
    this.consumer = undefined;
    this.pending = [];
    await consumer?.abort().catch(() => undefined);
  }

  private async decide(): Promise<void> {
    const format = detectArchiveFormat(this.head.subarray(0, this.headLength));
    if (format === 'html') throw new ProvisimError('NOT_A_DIRECT_LINK', { details: { format } });
    if (format === 'unknown' && !this.acceptsPacked) {
      throw new ProvisimError('ARCHIVE_INVALID', {
        message:
          'The downloaded file is not a VM archive (its first bytes are neither tar, gzip nor zip). Ask your administrator to check the golden image link.',
        details: { format },
      });
    }
    this.detected = format;
    const pending = this.pending;
    this.pending = [];
    try {
      this.consumer = this.createConsumer?.(format);
    } catch (error) {
      this.failure = { error };
      return;
    }
    for (const chunk of pending) {
      if (this.consumer === undefined) return;
      await this.write(chunk);
    }
  }

  private async write(chunk: Uint8Array): Promise<void> {
    try {
      await this.consumer!.write(chunk);
    } catch (error) {
      this.failed(error);
      await this.abort();
    }
  }

  private failed(error: unknown): void {
    // A full or read-only disk ends the download at once: nothing that arrives could be kept.
    if (isDestinationFailure(error)) throw error;
    // Otherwise keep downloading and hashing: a bad checksum must still be reported as such.
    this.failure = { error };
  }
}
