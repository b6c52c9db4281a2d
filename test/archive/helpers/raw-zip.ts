import { buffer } from 'node:stream/consumers';
import type { Readable } from 'node:stream';
import { ZipFile } from 'yazl';

/** One entry of a hand-made zip. */
export interface ZipItem {
  name: string;
  data?: string;
  mode?: number;
  directory?: boolean;
}

/** Builds a zip in memory with yazl. */
export async function zipOf(items: readonly ZipItem[]): Promise<Buffer> {
  const zip = new ZipFile();
  for (const item of items) {
    if (item.directory) zip.addEmptyDirectory(item.name, { mode: item.mode ?? 0o40755 });
    else zip.addBuffer(Buffer.from(item.data ?? ''), item.name, { mode: item.mode ?? 0o100644 });
  }
  zip.end();
  return buffer(zip.outputStream as Readable);
}

/** Replaces every occurrence of a placeholder name with a same-length hostile one (yazl refuses those). */
export function renameInZip(zip: Buffer, placeholder: string, hostile: string): Buffer {
  if (placeholder.length !== hostile.length) throw new Error('names must have the same length');
  const from = Buffer.from(placeholder);
  const to = Buffer.from(hostile);
  const out = Buffer.from(zip);
  for (let at = out.indexOf(from); at !== -1; at = out.indexOf(from, at + 1)) to.copy(out, at);
  return out;
}

/** Rewrites the uncompressed size every header of a one-entry zip declares (a lying zip). */
export function declareUncompressedSize(zip: Buffer, size: number): Buffer {
  const out = Buffer.from(zip);
  for (let at = out.indexOf(LOCAL_HEADER); at !== -1; at = out.indexOf(LOCAL_HEADER, at + 4)) {
    out.writeUInt32LE(size, at + 22);
  }
  for (let at = out.indexOf(CENTRAL_HEADER); at !== -1; at = out.indexOf(CENTRAL_HEADER, at + 4)) {
    out.writeUInt32LE(size, at + 24);
  }
  return out;
}

const LOCAL_HEADER = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const CENTRAL_HEADER = Buffer.from([0x50, 0x4b, 0x01, 0x02]);
