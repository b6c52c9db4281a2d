import { mkdir, open, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Arch } from '../../../shared/protocol.ts';
import { renderDiskDescriptor } from '../../../electron/archive/disk-descriptor.ts';
import { renderVmConfig } from '../../../electron/archive/vm-config.ts';

/** A few bytes written into the sparse disk, at offsets that are not aligned on anything. */
export const SPARSE_MARKS = [
  { at: 0, text: 'boot sector' },
  { at: 2 ** 20 + 3, text: 'second unit' },
  { at: 1_000_000_007, text: 'in the middle' },
];

/**
 * Writes `<parent>/<name>.pvm` as the Installation Assistant used to make it: a plain disk whose
 * data file is sparse and `diskBytes` long, holding only the marks (and a last byte at its end).
 */
export async function writeSparseVm(
  parent: string,
  options: { name?: string; diskBytes: number; arch?: Arch },
): Promise<{ path: string; dataFile: string }> {
  const name = options.name ?? 'Old Box';
  const path = join(parent, `${name}.pvm`);
  const disk = join(path, 'harddisk.hdd');
  await mkdir(disk, { recursive: true });
  const config = {
    uuid: '0b0e8c1a-1111-4222-8333-444455556666',
    name,
    arch: options.arch ?? 'arm64',
  };
  await writeFile(join(path, 'config.pvs'), renderVmConfig(config));
  await writeFile(
    join(disk, 'DiskDescriptor.xml'),
    renderDiskDescriptor(options.diskBytes, 'data.hds'),
  );
  const dataFile = join(disk, 'data.hds');
  await writeFile(dataFile, '');
  await truncate(dataFile, options.diskBytes);
  const file = await open(dataFile, 'r+');
  try {
    for (const { at, text } of SPARSE_MARKS) {
      if (at + text.length <= options.diskBytes) await file.write(text, at);
    }
    await file.write('!', options.diskBytes - 1);
  } finally {
    await file.close();
  }
  return { path, dataFile };
}
