import { open } from 'node:fs/promises';
import { invalidVm } from './vm-bundle-rules.ts';

const READ_BYTES = 4 * 1024 * 1024;

/** Counts the bytes of the VM's files read so far; checks for a cancel between reads. */
export interface ReadTally {
  readonly signal?: AbortSignal;
  readonly onRead: (bytes: number) => void;
}

/**
 * Reads exactly `size` bytes of a file (its size when the VM was listed) in fresh buffers, so a
 * consumer may keep each one. The file is closed however the reading ends.
 */
export async function* readFileChunks(
  path: string,
  size: number,
  tally: ReadTally,
): AsyncGenerator<Buffer> {
  const file = await open(path, 'r');
  try {
    let position = 0;
    while (position < size) {
      tally.signal?.throwIfAborted();
      const buffer = Buffer.allocUnsafe(Math.min(READ_BYTES, size - position));
      const { bytesRead } = await file.read(buffer, 0, buffer.length, position);
      if (bytesRead === 0) {
        throw invalidVm(
          `The file ${path} got shorter while it was being packed. Shut the VM down and try again.`,
        );
      }
      position += bytesRead;
      tally.onRead(bytesRead);
      yield bytesRead === buffer.length ? buffer : buffer.subarray(0, bytesRead);
    }
  } finally {
    await file.close();
  }
}
