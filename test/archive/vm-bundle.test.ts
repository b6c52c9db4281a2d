import { mkdir, readdir, rename, rm, stat, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  commitVmBundle,
  locateVmBundle,
  safeVmFileName,
  validateVmBundle,
} from '../../electron/archive/vm-bundle.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';
import { SAMPLE_UUID, writeSampleVm } from './helpers/sample-vm.ts';

describe('locateVmBundle', () => {
  const tempDir = useTempDirs();

  it('finds the single X.pvm folder of an unpacked archive', async () => {
    const staging = await tempDir();
    const pvmDir = await writeSampleVm(staging);
    expect(await locateVmBundle(staging)).toBe(pvmDir);
  });

  it('ignores the __MACOSX folder and .DS_Store Finder adds', async () => {
    const staging = await tempDir();
    const pvmDir = await writeSampleVm(staging);
    await mkdir(join(staging, '__MACOSX'));
    await writeFile(join(staging, '.DS_Store'), '');
    expect(await locateVmBundle(staging)).toBe(pvmDir);
  });

  it('accepts a bare top level with config.pvs at its root', async () => {
    const staging = await tempDir();
    const pvmDir = await writeSampleVm(staging);
    for (const name of await readdir(pvmDir)) await rename(join(pvmDir, name), join(staging, name));
    await rm(pvmDir, { recursive: true });
    expect(await locateVmBundle(staging)).toBe(staging);
  });

  it('calls an archive without config.pvs or .pvm folder VM_INVALID', async () => {
    const staging = await tempDir();
    await mkdir(join(staging, 'Something'));
    await expect(locateVmBundle(staging)).rejects.toMatchObject({
      code: 'VM_INVALID',
      message: expect.stringContaining('no VM'),
    });
  });

  it('calls an archive with two VMs VM_INVALID', async () => {
    const staging = await tempDir();
    await writeSampleVm(staging, { name: 'One' });
    await writeSampleVm(staging, { name: 'Two' });
    await expect(locateVmBundle(staging)).rejects.toMatchObject({
      code: 'VM_INVALID',
      message: expect.stringContaining('2 VMs'),
    });
  });
});

describe('validateVmBundle', () => {
  const tempDir = useTempDirs();

  it('returns the config of a VM built for this Mac', async () => {
    const pvmDir = await writeSampleVm(await tempDir(), { arch: 'x86_64' });
    expect(await validateVmBundle(pvmDir, 'x86_64')).toEqual({
      uuid: SAMPLE_UUID,
      name: 'Sample',
      arch: 'x86_64',
      cpus: 2,
      memoryMb: 2048,
    });
  });

  it('refuses a bundle without config.pvs', async () => {
    const pvmDir = await writeSampleVm(await tempDir());
    await rm(join(pvmDir, 'config.pvs'));
    await expect(validateVmBundle(pvmDir, 'arm64')).rejects.toMatchObject({
      code: 'VM_INVALID',
      message: expect.stringContaining('config.pvs'),
    });
  });

  it('refuses a bundle with malformed config.pvs', async () => {
    const pvmDir = await writeSampleVm(await tempDir());
    await writeFile(join(pvmDir, 'config.pvs'), '<ParallelsVirtualMachine><Identification>');
    await expect(validateVmBundle(pvmDir, 'arm64')).rejects.toMatchObject({
      code: 'VM_INVALID',
      message: expect.stringContaining('malformed'),
    });
  });

  it('refuses a bundle without any .hdd folder', async () => {
    const pvmDir = await writeSampleVm(await tempDir(), { disk: false });
    await writeFile(join(pvmDir, 'fake.hdd'), 'a file, not a disk folder');
    await expect(validateVmBundle(pvmDir, 'arm64')).rejects.toMatchObject({
      code: 'VM_INVALID',
      message: expect.stringContaining('no virtual disk'),
    });
  });

  it.each([
    ['the folder above the bundle', 'vmdir', '..'],
    ['another VM beside it', 'harddisk.hdd/x.hds', '../../Other.pvm/harddisk.hdd/data.hds'],
    ['an absolute path', 'abs', '/etc/passwd'],
  ])('refuses a link to %s, which the archive check alone lets through', async (_, at, target) => {
    const dir = await tempDir();
    const pvmDir = await writeSampleVm(dir);
    await symlink(target, join(pvmDir, at));
    await expect(validateVmBundle(pvmDir, 'arm64')).rejects.toMatchObject({
      code: 'VM_INVALID',
      message: expect.stringContaining('outside the VM'),
    });
  });

  it('accepts links that stay inside the bundle', async () => {
    const dir = await tempDir();
    const pvmDir = await writeSampleVm(dir);
    await symlink('../config.pvs', join(pvmDir, 'harddisk.hdd', 'config-link'));
    await expect(validateVmBundle(pvmDir, 'arm64')).resolves.toMatchObject({ uuid: SAMPLE_UUID });
  });

  it('refuses an Intel VM on Apple silicon, saying so', async () => {
    const pvmDir = await writeSampleVm(await tempDir(), { arch: 'x86_64' });
    const refusal = validateVmBundle(pvmDir, 'arm64');
    await expect(refusal).rejects.toMatchObject({ code: 'VM_INVALID' });
    await expect(refusal).rejects.toThrow(/built for Intel Macs.*this Mac has Apple silicon/);
  });

  it('refuses an Apple silicon VM on an Intel Mac, saying so', async () => {
    const pvmDir = await writeSampleVm(await tempDir(), { arch: 'arm64' });
    await expect(validateVmBundle(pvmDir, 'x86_64')).rejects.toThrow(
      /built for Apple silicon Macs.*this Mac has an Intel/,
    );
  });
});

describe('commitVmBundle', () => {
  const tempDir = useTempDirs();

  it('moves bundles in as Name.pvm, then Name (2).pvm and Name (3).pvm on clashes', async () => {
    const root = await tempDir();
    const vmDir = join(root, 'Parallels');
    const paths: string[] = [];
    for (const source of ['a', 'b', 'c']) {
      const pvmDir = await writeSampleVm(join(root, source));
      paths.push(await commitVmBundle(pvmDir, vmDir, 'Win 11'));
    }
    expect(paths).toEqual([
      join(vmDir, 'Win 11.pvm'),
      join(vmDir, 'Win 11 (2).pvm'),
      join(vmDir, 'Win 11 (3).pvm'),
    ]);
    expect((await readdir(vmDir)).sort()).toEqual([
      'Win 11 (2).pvm',
      'Win 11 (3).pvm',
      'Win 11.pvm',
    ]);
    expect((await stat(join(vmDir, 'Win 11 (2).pvm', 'config.pvs'))).isFile()).toBe(true);
    expect(await readdir(join(root, 'a'))).toEqual([]);
  });

  it('never replaces an existing folder, even an empty one', async () => {
    const root = await tempDir();
    const vmDir = join(root, 'Parallels');
    await mkdir(join(vmDir, 'Win 11.pvm'), { recursive: true });
    const path = await commitVmBundle(await writeSampleVm(root), vmDir, 'Win 11');
    expect(path).toBe(join(vmDir, 'Win 11 (2).pvm'));
    expect(await readdir(join(vmDir, 'Win 11.pvm'))).toEqual([]);
  });

  it('commits the bare staging folder itself', async () => {
    const root = await tempDir();
    const staging = join(root, 'staging');
    await mkdir(staging);
    await writeFile(join(staging, 'config.pvs'), 'x');
    const path = await commitVmBundle(staging, join(root, 'vms'), 'Bare');
    expect(await readdir(path)).toEqual(['config.pvs']);
  });

  it('keeps a hostile VM name inside the VM folder', async () => {
    const root = await tempDir();
    const vmDir = join(root, 'vms');
    const path = await commitVmBundle(await writeSampleVm(root), vmDir, '../../etc/x\0y');
    expect(path.startsWith(join(vmDir, '/'))).toBe(true);
    expect(await readdir(vmDir)).toEqual(['etc-x-y.pvm']);
  });

  it('fails with REGISTRATION_FAILED when the VM folder cannot be made', async () => {
    const root = await tempDir();
    await writeFile(join(root, 'vms'), 'a file in the way');
    await expect(
      commitVmBundle(await writeSampleVm(root), join(root, 'vms'), 'X'),
    ).rejects.toMatchObject({
      code: 'REGISTRATION_FAILED',
    });
  });

  it('fails with REGISTRATION_FAILED when the bundle is gone, leaving no claimed folder', async () => {
    const root = await tempDir();
    const vmDir = join(root, 'vms');
    await expect(commitVmBundle(join(root, 'missing.pvm'), vmDir, 'X')).rejects.toMatchObject({
      code: 'REGISTRATION_FAILED',
    });
    expect(await readdir(vmDir)).toEqual([]);
  });
});

describe('safeVmFileName', () => {
  it.each([
    ['Win 11', 'Win 11'],
    ['a/b\\c:d', 'a-b-c-d'],
    ['..hidden', 'hidden'],
    ['  . ', 'Virtual Machine'],
    ['Ubuntu.pvm', 'Ubuntu'],
    ['tab\there', 'tab-here'],
  ])('turns %j into %j', (name, expected) => {
    expect(safeVmFileName(name)).toBe(expected);
  });

  it('shortens very long names', () => {
    expect(Array.from(safeVmFileName('é'.repeat(500))).length).toBe(200);
  });
});
