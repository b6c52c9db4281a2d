import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readFile, readlink, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Arch } from '../../../shared/protocol.ts';
import { renderVmConfig } from '../../../electron/archive/vm-config.ts';
import { snapshot } from './fs-snapshot.ts';

/** The uuid every sample VM gets. */
export const SAMPLE_UUID = '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b';

/** Writes a small but complete VM bundle `<parent>/<name>.pvm` and returns its path. */
export async function writeSampleVm(
  parent: string,
  options: { name?: string; arch?: Arch; dataBytes?: number; disk?: boolean } = {},
): Promise<string> {
  const name = options.name ?? 'Sample';
  const pvmDir = join(parent, `${name}.pvm`);
  await mkdir(pvmDir, { recursive: true });
  const config = renderVmConfig({
    uuid: SAMPLE_UUID,
    name,
    arch: options.arch ?? 'arm64',
    cpus: 2,
    memoryMb: 2048,
  });
  await writeFile(join(pvmDir, 'config.pvs'), config);
  if (options.disk ?? true) {
    const disk = join(pvmDir, 'harddisk.hdd');
    await mkdir(disk);
    await writeFile(join(disk, 'DiskDescriptor.xml'), '<Parallels_disk_image/>');
    await writeFile(join(disk, 'data.hds'), randomBytes(options.dataBytes ?? 300_000));
    await mkdir(join(pvmDir, 'Snapshots', 'empty'), { recursive: true });
    await symlink('harddisk.hdd/data.hds', join(pvmDir, 'current.hds'));
  }
  return pvmDir;
}

/** Every item under a folder with its content (files), target (links) or a folder mark. */
export async function treeContents(dir: string): Promise<Map<string, string>> {
  const contents = new Map<string, string>();
  for (const rel of await snapshot(dir)) {
    const path = join(dir, rel);
    const stats = await lstat(path);
    if (stats.isSymbolicLink()) contents.set(rel, `link:${await readlink(path)}`);
    else if (stats.isDirectory()) contents.set(rel, 'dir');
    else contents.set(rel, (await readFile(path)).toString('base64'));
  }
  return contents;
}
