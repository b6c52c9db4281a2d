import { Readable } from 'node:stream';
import { join } from 'node:path';
import { Pack } from 'tar';
import { ZipFile } from 'yazl';
import type { TreeEntry } from './vm-tree.ts';

/** The modification time every packed entry gets, so packing is repeatable. */
export const PACK_MTIME = new Date(Date.UTC(2000, 0, 1));

// Zip stores local wall-clock time: building the date from local fields keeps it the same
// in every time zone.
const ZIP_MTIME = new Date(2000, 0, 1);
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;

// zlib takes chunkSize even though minizlib's types leave it out; 16 KiB chunks slow gzip down.
const GZIP_OPTIONS = { level: 6, chunkSize: 1024 * 1024 };

/** A cache that never remembers, so files with several hard links are stored as plain copies. */
class NoLinkCache<K, V> extends Map<K, V> {
  override set(): this {
    return this;
  }
}

/** A deterministic POSIX tar (gzip'd when asked) of a VM folder under `<name>.pvm/`. */
export function tarStream(root: string, name: string, tree: readonly TreeEntry[], gzip: boolean) {
  const pack = new Pack({
    cwd: root,
    prefix: `${name}.pvm`,
    portable: true,
    mtime: PACK_MTIME,
    noDirRecurse: true,
    strict: true,
    linkCache: new NoLinkCache(),
    ...(gzip ? { gzip: { ...GZIP_OPTIONS } } : {}),
  });
  for (const entry of tree) pack.add(entry.rel);
  pack.end();
  return Readable.from(pack, { objectMode: false });
}

/** A deterministic zip of a VM folder under `<name>.pvm/`; data deflated only when `compress`. */
export function zipStream(
  root: string,
  name: string,
  tree: readonly TreeEntry[],
  compress: boolean,
) {
  const zip = new ZipFile();
  const common = { mtime: ZIP_MTIME, forceDosTimestamp: true };
  for (const entry of tree) {
    const path = entry.rel === '.' ? `${name}.pvm` : `${name}.pvm/${entry.rel}`;
    if (entry.kind === 'dir') {
      zip.addEmptyDirectory(`${path}/`, { ...common, mode: S_IFDIR | entry.mode });
    } else if (entry.kind === 'symlink') {
      const target = Buffer.from(entry.target ?? '', 'utf8');
      zip.addBuffer(target, path, { ...common, mode: S_IFLNK | entry.mode, compress: false });
    } else {
      zip.addFile(join(root, entry.rel), path, { ...common, mode: S_IFREG | entry.mode, compress });
    }
  }
  zip.end();
  return zip.outputStream as Readable;
}
