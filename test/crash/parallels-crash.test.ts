import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAgentStore } from '../../electron/agent/agent-store.ts';
import type { RunningPortal } from '../../electron/portal/server.ts';
import { pendingPacked } from '../../electron/agent/packed-note.ts';
import { fakeParallels, writeFakePacked } from '../agent/hypervisor/fake-prlctl.ts';
import { ndjson, runArgs, runCliProcess } from '../helpers/cli-process.ts';
import {
  KEYS,
  fixtureOrg,
  makeFixtureImage,
  startFixturePortal,
} from '../helpers/portal-fixture.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resultOf } from './crash-fixture.ts';

const tempDir = useTempDirs();
let portal: RunningPortal;
let dataDir: string;
// A portal whose image is a packed VM in the fake's own format.
let packedPortal: RunningPortal;
let packedDataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'provisim-prl-crash-'));
  const image = await makeFixtureImage(dataDir, { name: 'Eng ARM', arch: 'arm64' });
  portal = await startFixturePortal(
    dataDir,
    fixtureOrg({ arm64: { url: image.path, checksum: image.sha256 } }),
  );
});
beforeAll(async () => {
  packedDataDir = await mkdtemp(join(tmpdir(), 'provisim-prl-packed-crash-'));
  await mkdir(join(packedDataDir, 'images'));
  const file = join(packedDataDir, 'images', 'Packed.pvmp');
  await writeFakePacked(file, { uuid: randomUUID(), name: 'Golden packed', arch: 'arm64' });
  const sha256 = createHash('sha256')
    .update(await readFile(file))
    .digest('hex');
  packedPortal = await startFixturePortal(
    packedDataDir,
    fixtureOrg({ arm64: { url: '/images/Packed.pvmp', checksum: sha256 } }),
  );
});
afterAll(async () => {
  await portal?.close();
  await packedPortal?.close();
  await rm(dataDir, { recursive: true, force: true });
  await rm(packedDataDir, { recursive: true, force: true });
});

/**
 * Runs `provisim run --backend parallels` in a new home until it kills itself at `point`, checks
 * what the kill left with `afterKill`, then runs it again, which must find the VM registered.
 */
async function killThenRerun(
  from: RunningPortal,
  point: string,
  afterKill?: (home: string) => void,
) {
  const home = await tempDir();
  const fake = fakeParallels(await tempDir());
  const args = runArgs(
    { portal: from.url, license: KEYS.eng, home },
    '--accept',
    '--backend',
    'parallels',
    '--json',
  );
  const killed = await runCliProcess(args, { ...fake.env(), PROVISIM_CRASH_AT: point });
  expect(killed.signal, killed.stderr).toBe('SIGKILL');
  afterKill?.(home);
  const rerun = await runCliProcess(args, fake.env());
  expect(resultOf(rerun.stdout), rerun.stderr).toMatchObject({ outcome: 'already-registered' });
  return { home, fake, rerun };
}

describe('kill -9 while registering in Parallels Desktop', () => {
  it.each(['after-move', 'after-backend-register', 'after-registry-write'])(
    'killed at %s, the rerun leaves exactly one VM, known to both Parallels and Provisim',
    async (point) => {
      const { home, fake } = await killThenRerun(portal, point);
      const inParallels = await fake.vms();
      const records = openAgentStore(home).get('vms') ?? [];
      expect(inParallels).toHaveLength(1);
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({ uuid: inParallels[0]!.uuid, hypervisor: 'parallels' });
    },
  );
});

describe('kill -9 while a packed VM goes into Parallels Desktop', () => {
  it.each([
    'after-packed-placed',
    'after-packed-register',
    'after-packed-unpack',
    'after-packed-recorded',
  ])(
    'killed at %s, the rerun finishes it without downloading again: one unpacked VM, known to both',
    async (point) => {
      const { home, fake, rerun } = await killThenRerun(packedPortal, point, (killedHome) =>
        expect(existsSync(pendingPacked.path(killedHome))).toBe(true),
      );
      expect(ndjson(rerun.stdout).map((line) => line.type)).not.toContain('download-started');
      const inParallels = await fake.vms();
      const records = openAgentStore(home).get('vms') ?? [];
      expect(inParallels).toMatchObject([{ name: 'Engineering VM', packed: false }]);
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({
        uuid: inParallels[0]!.uuid,
        name: 'Engineering VM',
        path: inParallels[0]!.home,
        hypervisor: 'parallels',
      });
      // Nothing of the packed file or of the note is left.
      expect(await readdir(join(home, 'Parallels'))).toEqual(['Engineering VM.pvm']);
      expect(await readdir(join(home, 'downloads'))).toEqual([]);
      expect(existsSync(pendingPacked.path(home))).toBe(false);
    },
  );
});
