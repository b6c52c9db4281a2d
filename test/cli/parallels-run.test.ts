import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { openAgentStore } from '../../electron/agent/agent-store.ts';
import { startPortal, type RunningPortal } from '../../electron/portal/server.ts';
import { ndjson, runArgs, runCliProcess } from '../helpers/cli-process.ts';
import { KEYS, fixtureOrg, makeFixtureImage } from '../helpers/portal-fixture.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';
import { adminApi } from '../portal/admin/admin-fixtures.ts';
import { resultOf } from '../crash/crash-fixture.ts';
import { fakeParallels, writeFakePacked } from '../agent/hypervisor/fake-prlctl.ts';

const tempDir = useTempDirs();
const portals: RunningPortal[] = [];
afterEach(async () => {
  await Promise.all(portals.splice(0).map((p) => p.close()));
});

/** A writable portal offering `image` to the engineering group's arm64 Macs, and a fresh home. */
async function portalWith(dataDir: string, image: { path: string; sha256: string }) {
  const org = fixtureOrg({ arm64: { url: image.path, checksum: image.sha256 } });
  const portal = await startPortal({ dataDir, org, logger: false, persist: true });
  portals.push(portal);
  const home = await tempDir();
  return { portal, home, target: { portal: portal.url, license: KEYS.eng, home } };
}

describe('provisim run --backend parallels (against the recording fake prlctl)', () => {
  it('registers the unpacked VM in Parallels Desktop and, on an update, deletes the previous one there', async () => {
    const dataDir = await tempDir();
    const fake = fakeParallels(await tempDir());
    const old = await makeFixtureImage(dataDir, { name: 'Eng ARM', arch: 'arm64' });
    const { portal, target, home } = await portalWith(dataDir, old);
    const args = runArgs(target, '--accept', '--backend', 'parallels', '--json');

    const first = await runCliProcess(args, fake.env());
    const [inParallels] = await fake.vms();
    expect(resultOf(first.stdout), first.stderr).toMatchObject({
      outcome: 'registered',
      vm: { uuid: inParallels!.uuid, hypervisor: 'parallels', name: 'Eng ARM' },
    });
    expect(openAgentStore(home).get('backend')).toBe('parallels');

    const next = await makeFixtureImage(dataDir, { name: 'Eng ARM v2', arch: 'arm64', seed: 'v2' });
    const put = await adminApi(portal).put('/golden-images/eng-image/images/arm64', {
      enabled: true,
      url: next.path,
      checksum: next.sha256,
    });
    expect(put.status).toBe(200);
    // The backend is remembered: the update goes through Parallels too.
    const update = await runCliProcess(
      runArgs(target, '--update', 'replace', '--json'),
      fake.env(),
    );
    expect(resultOf(update.stdout), update.stderr).toMatchObject({
      outcome: 'updated',
      previousRemoved: true,
    });
    expect((await fake.calls()).filter((argv) => argv[0] === 'delete')).toEqual([
      ['delete', inParallels!.uuid],
    ]);
    expect((await fake.vms()).map((vm) => vm.name)).toEqual(['Eng ARM v2']);
  });

  it("registers and unpacks an image that is Parallels' own packed VM, which the simulated backend refuses", async () => {
    const dataDir = await tempDir();
    const fake = fakeParallels(await tempDir());
    await mkdir(join(dataDir, 'images'), { recursive: true });
    const file = join(dataDir, 'images', 'Packed.pvmp');
    await writeFakePacked(file, { uuid: crypto.randomUUID(), name: 'Packed', arch: 'arm64' });
    const sha256 = createHash('sha256')
      .update(await readFile(file))
      .digest('hex');
    const { target, home } = await portalWith(dataDir, { path: '/images/Packed.pvmp', sha256 });

    const simulated = await runCliProcess(
      runArgs(target, '--accept', '--backend', 'simulated', '--json'),
      fake.env(),
    );
    expect(resultOf(simulated.stdout)).toMatchObject({ error: { code: 'ARCHIVE_INVALID' } });

    const run = await runCliProcess(
      runArgs(target, '--accept', '--backend', 'parallels', '--json'),
      fake.env(),
    );
    const [vm] = await fake.vms();
    expect(resultOf(run.stdout), run.stderr).toMatchObject({
      outcome: 'registered',
      vm: { uuid: vm!.uuid, hypervisor: 'parallels', source: { sha256 } },
    });
    const calls = await fake.calls();
    expect(calls.map((argv) => argv[0])).toEqual(expect.arrayContaining(['register', 'unpack']));
    expect(calls.find((argv) => argv[0] === 'unpack')).toEqual(['unpack', vm!.uuid]);
    // The verified download was handed over to Parallels: nothing stays in downloads.
    expect(await readdir(join(home, 'downloads'))).toEqual([]);
    expect(openAgentStore(home).get('vms')).toHaveLength(1);
  });

  it('fails with PARALLELS_NOT_INSTALLED before any download when prlctl is missing', async () => {
    const dataDir = await tempDir();
    const image = await makeFixtureImage(dataDir, { name: 'Eng ARM', arch: 'arm64' });
    const { target, home } = await portalWith(dataDir, image);
    const run = await runCliProcess(
      runArgs(target, '--accept', '--backend', 'parallels', '--json'),
      {
        PROVISIM_PRLCTL: join(dataDir, 'no-such-prlctl'),
      },
    );
    expect(resultOf(run.stdout)).toMatchObject({ error: { code: 'PARALLELS_NOT_INSTALLED' } });
    expect(ndjson(run.stdout).map((line) => line.type)).not.toContain('download-started');
    expect(run.code).toBe(1);
    expect(openAgentStore(home).get('vms') ?? []).toEqual([]);
  });
});
