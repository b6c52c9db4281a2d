import { constants, createReadStream } from 'node:fs';
import { access, type FileHandle, open, rm, stat } from 'node:fs/promises';
import { dirname } from 'node:path';
import { diskWriteError } from './download-errors.ts';

const REPLAY_CHUNK_BYTES = 4 * 1024 * 1024;

/** The `.part` copy of an archive that cannot be rebuilt from what it unpacked to (gzip, zip). */
export class PartialFile {
  private file: FileHandle | undefined;

  constructor(readonly path: string) {}

  /** Throws the write error before any byte is fetched when the folder cannot take the file. */
  async assertWritable(): Promise<void> {
    try {
      await access(dirname(this.path), constants.W_OK);
    } catch (error) {
      throw diskWriteError(error, this.path);
    }
  }

  /** Size on disk, 0 when there is no file. */
  async size(): Promise<number> {
    return stat(this.path).then(
      (info) => info.size,
      () => 0,
    );
  }

  /** Reads the first `length` bytes back in large chunks. */
  read(length: number): AsyncIterable<Buffer> {
    return createReadStream(this.path, {
      start: 0,
      end: length - 1,
      highWaterMark: REPLAY_CHUNK_BYTES,
    }) as AsyncIterable<Buffer>;
  }

  /** Writes chunks at `position`, creating the file on first use. */
  async write(chunks: readonly Uint8Array[], position: number, length: number): Promise<void> {
    try {
      this.file ??= await open(this.path, constants.O_RDWR | constants.O_CREAT, 0o644);
      let { bytesWritten } = await this.file.writev(chunks as Uint8Array[], position);
      // Short writes are rare on regular files, but a nearly full disk can produce one.
      while (bytesWritten < length) {
        const rest = Buffer.concat(chunks as Uint8Array[]).subarray(bytesWritten);
        const result = await this.file.write(rest, 0, rest.length, position + bytesWritten);
        if (result.bytesWritten === 0)
          throw Object.assign(new Error('short write'), { code: 'EIO' });
        bytesWritten += result.bytesWritten;
      }
    } catch (error) {
      throw diskWriteError(error, this.path);
    }
  }

  /** Empties the file, if there is one. */
  async truncate(): Promise<void> {
    try {
      if (this.file) await this.file.truncate(0);
      else await rm(this.path, { force: true });
    } catch (error) {
      throw diskWriteError(error, this.path);
    }
  }

  /** Closes the file; never throws. */
  async close(): Promise<void> {
    const file = this.file;
    this.file = undefined;
    await file?.close().catch(() => undefined);
  }
}
