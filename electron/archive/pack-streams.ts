import { join } from 'node:path';
import { Readable } from 'node:stream';
import { ZipFile } from 'yazl';
import { gzipUnits, PACK_GZIP_LEVEL } from './pack-gzip.ts';
import { readFileChunks, type ReadTally } from './pack-read.ts';
import { tarChunks } from './pack-tar.ts';
import type { TreeEntry } from './vm-tree.ts';

// Zip stores local wall-clock time: building the date from local fields keeps it the same
// in every time zone.
const ZIP_MTIME = new Date(2000, 0, 1);
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;

/** What an archive of a VM folder is made of. */
export interface ArchiveSource {
  readonly root: string;
  /** The VM's name: entries sit under `<name>.pvm/`. */
  readonly name: string;
  readonly tree: readonly TreeEntry[];
  readonly format: 'pvmp' | 'zip';
  /** gzip for a .pvmp, deflate for a zip. */
  readonly compress: boolean;
  readonly tally: ReadTally;
}

/** The bytes of a deterministic archive of a VM folder; stopping early closes every file. */
export function archiveChunks(source: ArchiveSource): AsyncIterable<Uint8Array> {
  const { root, name, tree, tally } = source;
  if (source.format === 'zip') return zipChunks(source);
  const tar = tarChunks(root, name, tree, tally);
  return source.compress ? gzipUnits(tar) : tar;
}

/** A deterministic zip of a VM folder under `<name>.pvm/`; data deflated only when `compress`. */
async function* zipChunks(source: ArchiveSource): AsyncGenerator<Uint8Array> {
  const { root, name, tree, compress, tally } = source;
  const zip = new ZipFile();
  const output = zip.outputStream as Readable;
  // yazl reports a file it cannot read on the ZipFile, not on its output.
  zip.on('error', (error: Error) => output.destroy(error));
  const reading = new Set<Readable>();
  const common = { mtime: ZIP_MTIME, forceDosTimestamp: true };
  for (const entry of tree) {
    const path = entry.rel === '.' ? `${name}.pvm` : `${name}.pvm/${entry.rel}`;
    if (entry.kind === 'dir') {
      zip.addEmptyDirectory(`${path}/`, { ...common, mode: S_IFDIR | entry.mode });
    } else if (entry.kind === 'symlink') {
      const target = Buffer.from(entry.target ?? '', 'utf8');
      zip.addBuffer(target, path, { ...common, mode: S_IFLNK | entry.mode, compress: false });
    } else {
      const options = { ...common, mode: S_IFREG | entry.mode, size: entry.size };
      const level = compress ? { compressionLevel: PACK_GZIP_LEVEL } : { compress: false };
      zip.addReadStreamLazy(path, { ...options, ...level }, (done) => {
        const file = Readable.from(readFileChunks(join(root, entry.rel), entry.size, tally), {
          objectMode: false,
        });
        reading.add(file);
        file.once('close', () => reading.delete(file));
        file.once('error', (error) => output.destroy(error));
        done(null, file);
      });
    }
  }
  zip.end();
  try {
    for await (const chunk of output) yield chunk as Uint8Array;
  } finally {
    // Stopped early: yazl leaves the file it was reading paused; closing it releases the file.
    for (const file of reading) file.destroy();
  }
}
