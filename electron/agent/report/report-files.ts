import { open, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** Most bytes of one log file a report keeps: its end, where the problem usually is. */
export const LOG_TAIL_BYTES = 4 * 1024 * 1024;

/** The end of a text file, at most `limit` bytes, starting on a whole line; and how many bytes were left out. */
export async function readTail(
  path: string,
  limit = LOG_TAIL_BYTES,
): Promise<{ text: string; omittedBytes: number }> {
  const file = await open(path, 'r');
  try {
    const { size } = await file.stat();
    const start = Math.max(0, size - limit);
    const buffer = Buffer.alloc(size - start);
    const { bytesRead } = await file.read(buffer, 0, buffer.length, start);
    let bytes = buffer.subarray(0, bytesRead);
    let omittedBytes = start;
    if (start > 0) {
      // The cut falls inside a line: drop that part-line, it would not parse.
      const newline = bytes.indexOf(0x0a);
      const skip = newline === -1 ? bytes.length : newline + 1;
      bytes = bytes.subarray(skip);
      omittedBytes += skip;
    }
    return { text: bytes.toString('utf8'), omittedBytes };
  } finally {
    await file.close();
  }
}

/** The regular files of a folder whose names end with `suffix`, sorted; none when the folder is missing. */
export async function filesIn(dir: string, suffix = ''): Promise<string[]> {
  try {
    const entries = await readdir(dir, { withFileTypes: true });
    return entries
      .filter((entry) => entry.isFile() && entry.name.endsWith(suffix))
      .map((entry) => join(dir, entry.name))
      .sort();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}
