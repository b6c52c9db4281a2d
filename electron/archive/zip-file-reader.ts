import type { FileHandle } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { RandomAccessReader } from 'yauzl';

const RANGE_READ_BYTES = 1024 * 1024;

async function* readRange(handle: FileHandle, start: number, end: number) {
  for (let position = start; position < end;) {
    const length = Math.min(RANGE_READ_BYTES, end - position);
    const { bytesRead, buffer } = await handle.read(
      Buffer.allocUnsafe(length),
      0,
      length,
      position,
    );
    if (bytesRead === 0) throw new Error('unexpected end of file');
    yield buffer.subarray(0, bytesRead);
    position += bytesRead;
  }
}

/** A yauzl reader over an open file that reads entry data 1 MiB at a time (yauzl's own reads 16 KiB). */
export class FileRangeReader extends RandomAccessReader {
  constructor(private readonly handle: FileHandle) {
    super();
  }

  override _readStreamForRange(start: number, end: number): Readable {
    return Readable.from(readRange(this.handle, start, end), { objectMode: false });
  }

  override read(
    buffer: Buffer,
    offset: number,
    length: number,
    position: number,
    callback: (error: Error | null) => void,
  ): void {
    void this.readFully(buffer, offset, length, position).then(() => callback(null), callback);
  }

  // Whoever opened the handle closes it; yauzl only says here that it is done with the reader.
  override close(callback: (error: Error | null) => void): void {
    setImmediate(() => callback(null));
  }

  private async readFully(buffer: Buffer, offset: number, length: number, position: number) {
    for (let done = 0; done < length;) {
      const at = offset + done;
      const { bytesRead } = await this.handle.read(buffer, at, length - done, position + done);
      if (bytesRead === 0) throw new Error('unexpected end of file');
      done += bytesRead;
    }
  }
}
