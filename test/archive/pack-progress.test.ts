import { mkdir, readdir, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TransferProgress } from '../../shared/ipc-contract.ts';
import { packVm } from '../../electron/archive/pack-vm.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';
import { writeSampleVm } from './helpers/sample-vm.ts';
import { writeSparseVm } from './helpers/sparse-vm.ts';

const GiB = 2 ** 30;

describe('packVm progress and cancel', () => {
  const tempDir = useTempDirs();

  it.each(['pvmp', 'zip'] as const)(
    'reports the bytes of the VM files read, from 0 up to their total (%s)',
    async (format) => {
      const dir = await tempDir();
      const pvmDir = await writeSampleVm(dir, { dataBytes: 9 * 2 ** 20 + 5 });
      const reports: TransferProgress[] = [];
      await packVm(pvmDir, {
        format,
        progressIntervalMs: 0,
        onProgress: (progress) => reports.push(progress),
      });
      // config.pvs, DiskDescriptor.xml and the disk data: links and folders hold no bytes.
      const total = reports[0]!.totalBytes;
      expect(total).toBeGreaterThan(9 * 2 ** 20 + 5);
      expect(total).toBeLessThan(9 * 2 ** 20 + 5000);
      expect(reports[0]).toEqual({ readBytes: 0, totalBytes: total });
      expect(reports.at(-1)).toEqual({ readBytes: total, totalBytes: total });
      expect(reports.length).toBeGreaterThan(3);
      const reads = reports.map((report) => report.readBytes);
      expect(reads).toEqual([...reads].sort((a, b) => a - b));
    },
  );

  it('reports a few times a second at most', async () => {
    const dir = await tempDir();
    const pvmDir = await writeSampleVm(dir, { dataBytes: 9 * 2 ** 20 });
    const reports: TransferProgress[] = [];
    await packVm(pvmDir, { progressIntervalMs: 60_000, onProgress: (p) => reports.push(p) });
    // The first and the last only: nothing in between came 60 s after the first.
    expect(reports.map((report) => report.readBytes)).toEqual([0, reports[0]!.totalBytes]);
  });

  it.each(['pvmp', 'zip'] as const)(
    'cancels mid-pack with CANCELLED, leaving neither the partial nor a checksum file (%s)',
    async (format) => {
      const dir = await tempDir();
      await writeSparseVm(dir, { diskBytes: 64 * GiB });
      const controller = new AbortController();
      const packing = packVm(`${dir}/Old Box.pvm`, {
        format,
        signal: controller.signal,
        progressIntervalMs: 0,
        onProgress: ({ readBytes }) => {
          if (readBytes > 0) controller.abort();
        },
      });
      await expect(packing).rejects.toMatchObject({ code: 'CANCELLED' });
      expect(await readdir(dir)).toEqual(['Old Box.pvm']);
    },
  );

  it('removes the partial and writes no checksum file when a read fails mid-pack', async () => {
    const dir = await tempDir();
    const { path, dataFile } = await writeSparseVm(dir, { diskBytes: 64 * GiB });
    let cut = false;
    const packing = packVm(path, {
      progressIntervalMs: 0,
      onProgress: ({ readBytes }) => {
        // The disk shrinks under the pack, as a VM still in use could make it.
        if (readBytes > 0 && !cut) {
          cut = true;
          void truncate(dataFile, 2 ** 20);
        }
      },
    });
    await expect(packing).rejects.toMatchObject({ code: 'VM_INVALID' });
    expect(await readdir(dir)).toEqual(['Old Box.pvm']);
  });

  it('leaves no archive when its checksum file cannot be put beside it', async () => {
    const dir = await tempDir();
    const pvmDir = await writeSampleVm(dir);
    // A folder, not empty, where the checksum file goes: the last rename fails.
    await mkdir(join(dir, 'Sample.sha256.txt'));
    await writeFile(join(dir, 'Sample.sha256.txt', 'kept'), '');
    await expect(packVm(pvmDir)).rejects.toThrow();
    expect((await readdir(dir)).sort()).toEqual(['Sample.pvm', 'Sample.sha256.txt']);
  });

  it('does not start when already cancelled', async () => {
    const dir = await tempDir();
    const pvmDir = await writeSampleVm(dir);
    const packing = packVm(pvmDir, { signal: AbortSignal.abort() });
    await expect(packing).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(await readdir(dir)).toEqual(['Sample.pvm']);
  });
});
