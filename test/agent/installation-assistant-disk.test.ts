import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createVmFromScratch } from '../../electron/agent/installation-assistant.ts';
import { validateVmBundle } from '../../electron/archive/vm-bundle.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const GiB = 2 ** 30;

describe('the disk of a VM from the Installation Assistant', () => {
  const tempDir = useTempDirs();

  it('is an expanding disk: its size in DiskDescriptor.xml, an empty data file', async () => {
    const { path, config } = await createVmFromScratch({
      vmDir: join(await tempDir(), 'Parallels'),
      name: 'Big',
      os: 'windows-11',
      arch: 'x86_64',
      diskSizeBytes: 64 * GiB,
    });
    const disk = join(path, 'harddisk.hdd');
    const files = await readdir(disk);
    const data = files.find((name) => name !== 'DiskDescriptor.xml')!;
    expect(files).toHaveLength(2);
    expect(data).toMatch(/^[0-9a-f-]{36}\.hds$/);
    const descriptor = await readFile(join(disk, 'DiskDescriptor.xml'), 'utf8');
    expect(descriptor).toContain(`<Disk_size>${(64 * GiB) / 512}</Disk_size>`);
    expect(descriptor).toContain('<Type>Compressed</Type>');
    expect(descriptor).toContain(`<File>${data}</File>`);
    expect((await stat(join(disk, data))).size).toBe(0);
    expect(await validateVmBundle(path, 'x86_64')).toEqual(config);
  });
});
