import { spawn } from 'node:child_process';
import { resolve } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startPortal, type RunningPortal } from '../../electron/portal/server.ts';
import { ndjson, runArgs, runCliProcess } from '../helpers/cli-process.ts';
import { KEYS, fixtureOrg, makeFixtureImage } from '../helpers/portal-fixture.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';
import { adminApi } from '../portal/admin/admin-fixtures.ts';
import { resultOf } from '../crash/crash-fixture.ts';

const bin = resolve(import.meta.dirname, '../../electron/cli/provisim.js');
const tempDir = useTempDirs();
const portals: RunningPortal[] = [];
afterEach(async () => {
  await Promise.all(portals.splice(0).map((p) => p.close()));
});

/** A home with version 1 registered from a writable portal, which then offers version 2. */
async function homeWithUpdate() {
  const dataDir = await tempDir();
  const home = await tempDir();
  const old = await makeFixtureImage(dataDir, { name: 'Eng ARM', arch: 'arm64' });
  const org = fixtureOrg({ arm64: { url: old.path, checksum: old.sha256 } });
  const portal = await startPortal({ dataDir, org, logger: false, persist: true });
  portals.push(portal);
  const target = { portal: portal.url, license: KEYS.eng, home };
  const first = await runCliProcess(runArgs(target, '--accept', '--json'));
  expect(resultOf(first.stdout)).toMatchObject({ outcome: 'registered' });
  const changeImage = async () => {
    const next = await makeFixtureImage(dataDir, { name: 'Eng ARM v2', arch: 'arm64', seed: 'v2' });
    const put = await adminApi(portal).put('/golden-images/eng-image/images/arm64', {
      enabled: true,
      url: next.path,
      checksum: next.sha256,
    });
    expect(put.status).toBe(200);
    return next;
  };
  return { target, changeImage };
}

describe('provisim run on an update of the golden image', () => {
  it('--update skip keeps the previous VM and downloads nothing', async () => {
    const { target, changeImage } = await homeWithUpdate();
    await changeImage();
    const run = await runCliProcess(runArgs(target, '--update', 'skip', '--json'));
    const types = ndjson(run.stdout).map((line) => line.type);
    expect(types).toEqual(expect.arrayContaining(['update-offered', 'update-declined']));
    expect(types).not.toContain('download-started');
    expect(resultOf(run.stdout)).toMatchObject({ outcome: 'already-registered' });
    expect(run.code).toBe(0);
  });

  it('--accept alone does not answer an update (Replace removes a VM); --update replace does', async () => {
    const { target, changeImage } = await homeWithUpdate();
    const next = await changeImage();
    const refused = await runCliProcess(runArgs(target, '--accept', '--json'));
    expect(resultOf(refused.stdout)).toMatchObject({
      outcome: 'failed',
      error: {
        code: 'USAGE',
        message: expect.stringContaining('--update replace, keep-both or skip'),
      },
    });
    expect(refused.code).toBe(2);
    expect(ndjson(refused.stdout).map((line) => line.type)).not.toContain('download-started');

    const run = await runCliProcess(runArgs(target, '--accept', '--update', 'replace', '--json'));
    expect(resultOf(run.stdout)).toMatchObject({
      outcome: 'updated',
      previousRemoved: true,
      vm: { source: { sha256: next.sha256 } },
    });
    const vms = await runCliProcess(['vms', '--home', target.home, '--json']);
    expect(JSON.parse(vms.stdout)).toHaveLength(1);
  });

  it('--update alone does not answer a first invitation when there is no terminal', async () => {
    const dataDir = await tempDir();
    const image = await makeFixtureImage(dataDir, { name: 'Eng ARM', arch: 'arm64' });
    const org = fixtureOrg({ arm64: { url: image.path, checksum: image.sha256 } });
    const portal = await startPortal({ dataDir, org, logger: false });
    portals.push(portal);
    const target = { portal: portal.url, license: KEYS.eng, home: await tempDir() };
    const run = await runCliProcess(runArgs(target, '--update', 'replace', '--json'));
    expect(resultOf(run.stdout)).toMatchObject({
      outcome: 'failed',
      error: {
        code: 'USAGE',
        message: 'There is no terminal to ask on: pass --accept or --decline.',
      },
    });
    expect(ndjson(run.stdout).map((line) => line.type)).not.toContain('download-started');
    expect(run.code).toBe(2);
  });

  it('asks Replace, Keep both or Not now on a terminal; k keeps both', async () => {
    const { target, changeImage } = await homeWithUpdate();
    await changeImage();
    const command = [process.execPath, bin, ...runArgs(target)].map((arg) => `'${arg}'`).join(' ');
    const child = spawn('script', ['-qefc', command, '/dev/null'], {
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    let answered = false;
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (!answered && output.includes('[R]eplace, [k]eep both or [n]ot now?')) {
        answered = true;
        child.stdin.write('k\r');
      }
    });
    const code = await new Promise<number | null>((done) => child.on('close', done));
    expect(output).toContain('An update of your corporate VM is available: Engineering VM');
    expect(output).toContain('It replaces the VM "Eng ARM"');
    expect(output).toContain('Update accepted: the new version is kept beside the previous VM');
    expect(code).toBe(0);
    const vms = await runCliProcess(['vms', '--home', target.home, '--json']);
    expect(JSON.parse(vms.stdout)).toHaveLength(2);
  });
});

describe('provisim checkin', () => {
  it('prints the policy as received, whether it changed, and the updates available', async () => {
    const { target, changeImage } = await homeWithUpdate();
    const args = ['checkin', '--home', target.home, '--arch', 'arm64', '--json'];
    const unchanged = JSON.parse((await runCliProcess(args)).stdout);
    expect(unchanged).toMatchObject({
      type: 'result',
      outcome: 'checked-in',
      changed: false,
      updates: 0,
      policy: { id: 'group:eng', groupName: 'Engineering', goldenImage: { id: 'eng-image' } },
    });

    const next = await changeImage();
    const changed = await runCliProcess(args);
    expect(JSON.parse(changed.stdout)).toMatchObject({
      changed: true,
      updates: 1,
      policy: { goldenImage: { sha256: next.sha256 } },
    });

    const text = await runCliProcess(['checkin', '--home', target.home, '--arch', 'arm64']);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('unchanged since the last check-in');
    expect(text.stdout).toContain('Updates available: 1');
    expect(text.stdout).toContain(`SHA-256 ${next.sha256}`);
  });

  it('refuses a home that never had a portal and license, as a usage error', async () => {
    const run = await runCliProcess(['checkin', '--home', await tempDir()]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('Give --portal and --license the first time');
  });
});
