import { readdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createVmFromScratch,
  SUPPORTED_GUEST_OSES,
} from '../../electron/agent/installation-assistant.ts';
import { validateVmBundle } from '../../electron/archive/vm-bundle.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

describe('createVmFromScratch', () => {
  const tempDir = useTempDirs();

  it('creates a bundle that validateVmBundle accepts, with the asked settings', async () => {
    const vmDir = join(await tempDir(), 'Parallels');
    const created = await createVmFromScratch({
      vmDir,
      name: 'Dev Box',
      os: 'ubuntu-24.04',
      arch: 'arm64',
      cpus: 4,
      memoryMb: 8192,
    });
    expect(created.path).toBe(join(vmDir, 'Dev Box.pvm'));
    expect(await validateVmBundle(created.path, 'arm64')).toEqual(created.config);
    expect(created.config).toMatchObject({
      name: 'Dev Box',
      os: 'ubuntu-24.04',
      arch: 'arm64',
      cpus: 4,
      memoryMb: 8192,
    });
    expect(created.config.uuid).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('uses defaults for CPUs, memory and disk', async () => {
    const vmDir = join(await tempDir(), 'Parallels');
    const { config } = await createVmFromScratch({
      vmDir,
      name: 'Plain',
      os: 'macos',
      arch: 'arm64',
    });
    expect(config).toMatchObject({ cpus: 2, memoryMb: 4096 });
  });

  it('names clashing VMs Name (2).pvm and leaves no staging folder behind', async () => {
    const root = await tempDir();
    const vmDir = join(root, 'Parallels');
    const first = await createVmFromScratch({
      vmDir,
      name: 'Twin',
      os: 'debian-12',
      arch: 'arm64',
    });
    const second = await createVmFromScratch({
      vmDir,
      name: 'Twin',
      os: 'debian-12',
      arch: 'arm64',
    });
    expect([first.path, second.path]).toEqual([
      join(vmDir, 'Twin.pvm'),
      join(vmDir, 'Twin (2).pvm'),
    ]);
    expect(first.config.uuid).not.toBe(second.config.uuid);
    expect(await readdir(root)).toEqual(['Parallels']);
  });

  it.each([
    [{ name: '  ' }, 'name'],
    [{ os: 'windows-95' }, 'guest OS'],
    [{ cpus: 0 }, 'number of CPUs'],
    [{ cpus: 33 }, 'number of CPUs'],
    [{ cpus: 2.5 }, 'number of CPUs'],
    [{ memoryMb: 256 }, 'memory'],
    [{ memoryMb: 200_000 }, 'memory'],
    [{ diskSizeBytes: 0 }, 'disk size'],
  ])('refuses %j with USAGE naming the %s', async (override, field) => {
    const root = await tempDir();
    const options = {
      vmDir: join(root, 'Parallels'),
      name: 'X',
      os: 'fedora-40',
      arch: 'arm64' as const,
      ...override,
    };
    const refusal = createVmFromScratch(options);
    await expect(refusal).rejects.toMatchObject({ code: 'USAGE' });
    await expect(refusal).rejects.toThrow(field);
    expect(await readdir(root)).toEqual([]);
  });

  it('fails with REGISTRATION_FAILED and removes its staging when the VM folder is unusable', async () => {
    const root = await tempDir();
    const vmDir = join(root, 'Parallels');
    await writeFile(vmDir, 'a file where the VM folder should be');
    await expect(
      createVmFromScratch({ vmDir, name: 'X', os: 'macos', arch: 'arm64' }),
    ).rejects.toMatchObject({
      code: 'REGISTRATION_FAILED',
    });
    expect(await readdir(dirname(vmDir))).toEqual(['Parallels']);
  });

  it('offers a small list of guest operating systems', () => {
    expect(SUPPORTED_GUEST_OSES).toEqual(
      expect.arrayContaining(['windows-11', 'ubuntu-24.04', 'macos', 'debian-12', 'fedora-40']),
    );
  });
});
