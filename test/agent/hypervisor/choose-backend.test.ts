import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  prlctlVersion,
  resolveBackend,
} from '../../../electron/agent/hypervisor/choose-backend.ts';
import { SimulatedBackend } from '../../../electron/agent/hypervisor/simulated-backend.ts';
import { SAMPLE_UUID, writeSampleVm } from '../../archive/helpers/sample-vm.ts';
import { useTempDirs } from '../../helpers/temp-dir.ts';
import { fakeParallels } from './fake-prlctl.ts';

const tempDir = useTempDirs();

async function missingPrlctl(): Promise<NodeJS.ProcessEnv> {
  return { ...process.env, PROVISIM_PRLCTL: join(await tempDir(), 'no-prlctl') };
}

describe('choosing the backend', () => {
  it('auto (and no choice) picks Parallels Desktop when prlctl --version answers', async () => {
    const fake = fakeParallels(await tempDir());
    expect((await resolveBackend('auto', { env: fake.env() })).kind).toBe('parallels');
    expect((await resolveBackend(undefined, { env: fake.env() })).kind).toBe('parallels');
    expect(await fake.calls()).toEqual([['--version'], ['--version']]);
    expect(await prlctlVersion({ env: fake.env() })).toBe('prlctl version 26.4.1 (57516)');
  });

  it('auto falls back to simulated when prlctl is missing or does not answer', async () => {
    expect((await resolveBackend('auto', { env: await missingPrlctl() })).kind).toBe('simulated');
    const fake = fakeParallels(await tempDir());
    const broken = fake.env('--version=failed');
    expect((await resolveBackend(undefined, { env: broken })).kind).toBe('simulated');
  });

  it('parallels refuses when prlctl is missing, and says why when it answers badly', async () => {
    await expect(resolveBackend('parallels', { env: await missingPrlctl() })).rejects.toMatchObject(
      { code: 'PARALLELS_NOT_INSTALLED' },
    );
    const fake = fakeParallels(await tempDir());
    await expect(
      resolveBackend('parallels', { env: fake.env('--version=unlicensed') }),
    ).rejects.toMatchObject({ code: 'PARALLELS_NOT_LICENSED' });
    expect((await resolveBackend('parallels', { env: fake.env() })).kind).toBe('parallels');
  });

  it('simulated is simulated without asking prlctl', async () => {
    const fake = fakeParallels(await tempDir());
    expect((await resolveBackend('simulated', { env: fake.env() })).kind).toBe('simulated');
    expect(await fake.calls()).toEqual([]);
  });
});

describe('the simulated backend', () => {
  it("registers a bundle as its config.pvs says and refuses Parallels' packed VMs", async () => {
    const dir = await tempDir();
    const bundle = await writeSampleVm(dir, { name: 'Box' });
    const backend = new SimulatedBackend();
    expect(await backend.registerBundle(bundle, 'Box (2)')).toEqual({
      uuid: SAMPLE_UUID,
      name: 'Box',
      path: bundle,
    });
    await expect(backend.registerPacked(join(dir, 'x.pvmp'), dir, 'X')).rejects.toMatchObject({
      code: 'ARCHIVE_INVALID',
      message: expect.stringContaining('--backend parallels'),
    });
    expect(await backend.list()).toEqual([]);
  });

  it('deletes files only when asked, and only a .pvm bundle', async () => {
    const dir = await tempDir();
    const bundle = await writeSampleVm(dir, { name: 'Box' });
    const notBundle = join(dir, 'Documents');
    await mkdir(notBundle);
    await writeFile(join(notBundle, 'keep.txt'), 'mine');
    const paths: Record<string, string> = { a: bundle, b: notBundle };
    const backend = new SimulatedBackend({ locate: (uuid) => paths[uuid] });

    await backend.remove('a', { deleteFiles: false });
    expect(existsSync(bundle)).toBe(true);
    await backend.remove('b', { deleteFiles: true });
    expect(existsSync(join(notBundle, 'keep.txt'))).toBe(true);
    await backend.remove('a', { deleteFiles: true });
    expect(existsSync(bundle)).toBe(false);
  });
});
