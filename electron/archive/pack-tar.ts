import { join } from 'node:path';
import { Header, Pax, type HeaderData } from 'tar';
import { readFileChunks, type ReadTally } from './pack-read.ts';
import type { TreeEntry } from './vm-tree.ts';

const BLOCK = 512;
// Two zero blocks end a tar (node-tar and GNU tar write the same).
const END_OF_ARCHIVE = Buffer.alloc(2 * BLOCK);

/** The modification time every packed entry gets, so packing is repeatable. */
export const PACK_MTIME = new Date(Date.UTC(2000, 0, 1));

/** The header blocks of one entry: a pax header first when a field does not fit ustar. */
function headerBlocks(path: string, entry: TreeEntry): Buffer[] {
  const type = entry.kind === 'dir' ? 'Directory' : entry.kind === 'file' ? 'File' : 'SymbolicLink';
  const data: HeaderData = {
    path,
    type,
    mode: entry.mode,
    size: entry.kind === 'file' ? entry.size : 0,
    // Folders carry no time at all, as node-tar's portable mode writes them.
    mtime: entry.kind === 'dir' ? undefined : PACK_MTIME,
    linkpath: entry.target,
  };
  const header = new Header(data);
  const needsPax = header.encode();
  const blocks = [header.block!];
  if (needsPax) {
    const { mtime, size, linkpath } = data;
    blocks.unshift(new Pax({ path, mtime, size, linkpath }).encode());
  }
  return blocks;
}

/**
 * A deterministic POSIX tar of a VM folder under `<name>.pvm/`: ustar headers (pax only where a
 * field does not fit), no owners, fixed times. Written here rather than by node-tar's Pack so
 * that the bytes read are counted and a cancel closes every file at once.
 */
export async function* tarChunks(
  root: string,
  name: string,
  tree: readonly TreeEntry[],
  tally: ReadTally,
): AsyncGenerator<Buffer> {
  for (const entry of tree) {
    const rel = entry.rel === '.' ? '' : entry.rel;
    const path = `${name}.pvm/${rel}${entry.kind === 'dir' && rel !== '' ? '/' : ''}`;
    yield* headerBlocks(path, entry);
    if (entry.kind !== 'file' || entry.size === 0) continue;
    yield* readFileChunks(join(root, entry.rel), entry.size, tally);
    const padding = (BLOCK - (entry.size % BLOCK)) % BLOCK;
    if (padding > 0) yield Buffer.alloc(padding);
  }
  yield END_OF_ARCHIVE;
}
