import { Header, type HeaderData } from 'tar';

type EntryTypeName = NonNullable<HeaderData['type']>;

/** One entry of a hand-made tar archive. */
export interface RawEntry {
  path: string;
  type?: EntryTypeName;
  body?: string | Buffer;
  linkpath?: string;
  mode?: number;
}

const BLOCK = 512;

function padded(data: Buffer): Buffer {
  const size = Math.ceil(data.length / BLOCK) * BLOCK;
  return Buffer.concat([data, Buffer.alloc(size - data.length)]);
}

/** Writes tar headers by hand, so names and types node-tar's Pack would never emit get through. */
export function rawTar(
  entries: readonly RawEntry[],
  options: { endMarker?: boolean } = {},
): Buffer {
  const blocks: Buffer[] = [];
  for (const entry of entries) {
    const body = Buffer.from(entry.body ?? '');
    const type = entry.type ?? 'File';
    const header = new Header({
      path: entry.path,
      type,
      size: body.length,
      mode: entry.mode ?? (type === 'Directory' ? 0o755 : 0o644),
      linkpath: entry.linkpath,
      mtime: new Date(Date.UTC(2020, 0, 1)),
      uid: 0,
      gid: 0,
    });
    header.encode();
    blocks.push(Buffer.from(header.block!), padded(body));
  }
  if (options.endMarker ?? true) blocks.push(Buffer.alloc(2 * BLOCK));
  return Buffer.concat(blocks);
}

/** Rewrites the checksum of the header block at `offset` after its bytes were edited by hand. */
export function fixHeaderChecksum(archive: Buffer, offset = 0): void {
  archive.fill(0x20, offset + 148, offset + 156);
  let sum = 0;
  for (let i = offset; i < offset + BLOCK; i += 1) sum += archive[i]!;
  archive.write(`${sum.toString(8).padStart(6, '0')}\0 `, offset + 148, 'latin1');
}
