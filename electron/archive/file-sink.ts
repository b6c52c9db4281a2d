import { close, constants, futimes, open, writev } from 'node:fs';
import { promisify } from 'node:util';

const openFd = promisify(open);
const closeFd = promisify(close);
const futimesFd = promisify(futimes);
const writevFd = promisify(writev);

// Network chunks are gathered until flush() (once per batch the network delivered) or this
// much, into one write: a few hundred system calls per GiB instead of sixteen thousand.
const MAX_QUEUED = 8 * 1024 * 1024;

/** One file written at increasing offsets: chunks gathered, one write in flight. */
export class FileSink {
  private queue: Uint8Array[] = [];
  private queued = 0;
  private writing: Promise<void> | undefined;
  private failure: { error: unknown } | undefined;

  private constructor(
    private readonly fd: number,
    private position: number,
  ) {}

  /** Opens `path` for writing at `position` (a new file when `create`); never follows a link. */
  static async open(path: string, options: { create: boolean; mode?: number; position: number }) {
    // O_NOFOLLOW: the last component is never a link, whatever appeared there meanwhile.
    const flags =
      constants.O_WRONLY |
      constants.O_NOFOLLOW |
      (options.create ? constants.O_CREAT | constants.O_EXCL : 0);
    const fd = await openFd(path, flags, options.mode ?? 0o644);
    return new FileSink(fd, options.position);
  }

  /** Bytes handed to the sink so far, whether on disk yet or not. */
  get end(): number {
    return this.position + this.queued;
  }

  /** Queues bytes (kept by reference until written); returns a promise only when too much waits. */
  push(bytes: Uint8Array): Promise<void> | undefined {
    if (this.failure) return Promise.reject(this.failure.error);
    this.queue.push(bytes);
    this.queued += bytes.length;
    if (this.queued < MAX_QUEUED) return undefined;
    if (this.writing === undefined) this.startWrite();
    return this.writing;
  }

  /** Writes everything queued; rejects with the first write error. */
  async flush(): Promise<void> {
    while (this.writing !== undefined || this.queued > 0) {
      if (this.writing === undefined) this.startWrite();
      await this.writing;
    }
    if (this.failure) throw this.failure.error;
  }

  /** Flushes, sets the modification time when given, and closes. */
  async close(mtime?: Date): Promise<void> {
    try {
      await this.flush();
      if (mtime) await futimesFd(this.fd, mtime, mtime);
    } finally {
      await closeFd(this.fd).catch(() => undefined);
    }
  }

  /** Closes without writing what is still queued; never throws. */
  async discard(): Promise<void> {
    this.queue = [];
    this.queued = 0;
    await this.writing;
    await closeFd(this.fd).catch(() => undefined);
  }

  private startWrite(): void {
    const chunks = this.queue;
    const length = this.queued;
    const position = this.position;
    this.queue = [];
    this.queued = 0;
    this.position += length;
    this.writing = writeAll(this.fd, chunks, position, length).then(
      () => {
        this.writing = undefined;
      },
      (error: unknown) => {
        this.failure ??= { error };
        this.writing = undefined;
        this.queue = [];
        this.queued = 0;
      },
    );
  }
}

async function writeAll(
  fd: number,
  chunks: Uint8Array[],
  position: number,
  length: number,
): Promise<void> {
  let done = (await writevFd(fd, chunks, position)).bytesWritten;
  // Short writes are rare on regular files, but a nearly full disk can produce one.
  while (done < length) {
    const rest = Buffer.concat(chunks).subarray(done);
    const { bytesWritten } = await writevFd(fd, [rest], position + done);
    if (bytesWritten === 0) throw Object.assign(new Error('short write'), { code: 'EIO' });
    done += bytesWritten;
  }
}
