import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openAgentStore } from '../../electron/agent/agent-store.ts';
import type { RunningPortal } from '../../electron/portal/server.ts';
import { fakeParallels } from '../agent/hypervisor/fake-prlctl.ts';
import { runArgs, runCliProcess } from '../helpers/cli-process.ts';
import {
  KEYS,
  fixtureOrg,
  makeFixtureImage,
  startFixturePortal,
} from '../helpers/portal-fixture.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resultOf } from './crash-fixture.ts';

const tempDir = useTempDirs();
let portal: RunningPortal;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'provisim-prl-crash-'));
  const image = await makeFixtureImage(dataDir, { name: 'Eng ARM', arch: 'arm64' });
  portal = await startFixturePortal(
    dataDir,
    fixtureOrg({ arm64: { url: image.path, checksum: image.sha256 } }),
  );
});
afterAll(async () => {
  await portal?.close();
  await rm(dataDir, { recursive: true, force: true });
});

describe('kill -9 while registering in Parallels Desktop', () => {
  it.each(['after-move', 'after-backend-register', 'after-registry-write'])(
    'killed at %s, the rerun leaves exactly one VM, known to both Parallels and Provisim',
    async (point) => {
      const home = await tempDir();
      const fake = fakeParallels(await tempDir());
      const args = runArgs(
        { portal: portal.url, license: KEYS.eng, home },
        '--accept',
        '--backend',
        'parallels',
        '--json',
      );
      const killed = await runCliProcess(args, { ...fake.env(), PROVISIM_CRASH_AT: point });
      expect(killed.signal, killed.stderr).toBe('SIGKILL');

      const rerun = await runCliProcess(args, fake.env());
      expect(resultOf(rerun.stdout), rerun.stderr).toMatchObject({
        outcome: 'already-registered',
      });
      const inParallels = await fake.vms();
      const records = openAgentStore(home).get('vms') ?? [];
      expect(inParallels).toHaveLength(1);
      expect(records).toHaveLength(1);
      expect(records[0]).toMatchObject({ uuid: inParallels[0]!.uuid, hypervisor: 'parallels' });
    },
  );
});
