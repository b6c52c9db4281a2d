import { open, readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packVm } from '../../electron/archive/pack-vm.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';
import { extractBytes } from './helpers/extract-helpers.ts';
import { writeSparseVm } from './helpers/sparse-vm.ts';

const GiB = 2 ** 30;

/** Whether two files hold the same bytes, read side by side. */
async function sameBytes(a: string, b: string): Promise<boolean> {
  const [left, right] = await Promise.all([open(a), open(b)]);
  try {
    const size = (await left.stat()).size;
    if ((await right.stat()).size !== size) return false;
    const x = Buffer.alloc(8 * 2 ** 20);
    const y = Buffer.alloc(8 * 2 ** 20);
    for (let at = 0; at < size; at += x.length) {
      const [rx, ry] = await Promise.all([
        left.read(x, 0, x.length, at),
        right.read(y, 0, y.length, at),
      ]);
      if (rx.bytesRead !== ry.bytesRead) return false;
      if (!x.subarray(0, rx.bytesRead).equals(y.subarray(0, ry.bytesRead))) return false;
    }
    return true;
  } finally {
    await Promise.all([left.close(), right.close()]);
  }
}

describe('Prepare for Transfer of a VM whose disk is a big sparse file', () => {
  const tempDir = useTempDirs();

  it('packs a 4 GiB sparse disk into a small archive that unpacks to the same bytes', async () => {
    const dir = await tempDir();
    const { path, dataFile } = await writeSparseVm(dir, { diskBytes: 4 * GiB });
    const started = performance.now();
    const packed = await packVm(path);
    const seconds = (performance.now() - started) / 1000;
    // Holes cost about a thousandth of their size (deflate's best ratio), whatever the level.
    expect(packed.sizeBytes).toBeLessThan(6 * 2 ** 20);
    expect((await stat(packed.archivePath)).size).toBe(packed.sizeBytes);
    expect((await readdir(dir)).sort()).toEqual([
      'Old Box.pvm',
      'Old Box.pvmp',
      'Old Box.sha256.txt',
    ]);
    console.info(`packed 4 GiB of sparse disk in ${seconds.toFixed(1)} s`);

    const staging = join(dir, 'staging');
    await extractBytes(await readFile(packed.archivePath), staging);
    const unpacked = join(staging, 'Old Box.pvm', 'harddisk.hdd', 'data.hds');
    expect(await sameBytes(unpacked, dataFile)).toBe(true);
  }, 300_000);
});
