/** What a file is, judged from its first bytes. */
export type ArchiveFormat = 'tar' | 'tar.gz' | 'zip' | 'html' | 'unknown';

/** How many leading bytes `detectArchiveFormat` wants to see; fewer are fine for a shorter file. */
export const SNIFF_BYTES = 512;

const TAR_MAGIC_OFFSET = 257;
const TAR_MAGIC = [0x75, 0x73, 0x74, 0x61, 0x72]; // "ustar", shared by POSIX and old GNU headers
const HTML_STARTS = ['<!doctype html', '<html', '<head', '<body', '<!--'];

function startsWith(bytes: Uint8Array, prefix: readonly number[], offset = 0): boolean {
  if (bytes.length < offset + prefix.length) return false;
  return prefix.every((byte, index) => bytes[offset + index] === byte);
}

function looksLikeHtml(head: Uint8Array): boolean {
  let start = startsWith(head, [0xef, 0xbb, 0xbf]) ? 3 : 0;
  while (start < head.length && [0x09, 0x0a, 0x0d, 0x20].includes(head[start] ?? 0)) start += 1;
  const text = Buffer.from(head.subarray(start, start + 32))
    .toString('latin1')
    .toLowerCase();
  return HTML_STARTS.some((prefix) => text.startsWith(prefix));
}

/** Tells the format of a file from its first bytes (up to SNIFF_BYTES), never from its name. */
export function detectArchiveFormat(head: Uint8Array): ArchiveFormat {
  if (startsWith(head, [0x1f, 0x8b])) return 'tar.gz';
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06])) {
    return 'zip';
  }
  if (startsWith(head, TAR_MAGIC, TAR_MAGIC_OFFSET)) return 'tar';
  if (looksLikeHtml(head)) return 'html';
  return 'unknown';
}
