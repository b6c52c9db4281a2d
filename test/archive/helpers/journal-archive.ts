import { execFile } from 'node:child_process';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { TarFramer } from '../../../electron/archive/tar-framer.ts';
import { writeSampleVm } from './sample-vm.ts';

const LONG_NAME = `${'a-very-long-snapshot-name-'.repeat(5)}.sav`;

/**
 * A VM packed by the system's GNU tar: a long name (an 'L' extension header), a link, an empty
 * folder, and the 10 KiB record padding after the end marker, as a real archiver writes them.
 */
export async function gnuTarOfSampleVm(dir: string, dataBytes = 700_000): Promise<Buffer> {
  const pvm = await writeSampleVm(dir, { dataBytes });
  await mkdir(join(pvm, 'Snapshots'), { recursive: true });
  await writeFile(join(pvm, 'Snapshots', LONG_NAME), 'snapshot state');
  const archive = join(dir, 'sample.pvmp');
  await promisify(execFile)('tar', ['--format=gnu', '-cf', archive, '-C', dir, 'Sample.pvm']);
  return readFile(archive);
}

/** Offsets worth stopping at: around every header, inside and at the ends of data, padding and the end marker. */
export function boundariesOf(archive: Buffer): number[] {
  const framer = new TarFramer();
  const cuts = new Set<number>([0, 1, 511, 512, 513, archive.length - 1, archive.length]);
  let at = 0;
  for (const part of framer.push(archive)) {
    if (part.kind === 'entry' || part.kind === 'end') {
      const start = part.offset;
      const dataStart = start + part.literal.length;
      for (const cut of [start, start + 1, dataStart - 1, dataStart, dataStart + 1]) cuts.add(cut);
      at = dataStart;
    } else if (part.kind === 'data') {
      const end = at + part.bytes.length;
      for (const cut of [at + (part.bytes.length >> 1), end - 1, end, end + 100]) cuts.add(cut);
      at = end;
    }
  }
  return [...cuts].filter((cut) => cut >= 0 && cut <= archive.length).sort((a, b) => a - b);
}
