import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { VmRecord } from '../../shared/agent-store-schema.ts';
import { openAgentStore } from '../../electron/agent/agent-store.ts';
import type { RunningPortal } from '../../electron/portal/server.ts';
import { treeContents } from '../archive/helpers/sample-vm.ts';
import { ndjson, runArgs, runCliProcess } from '../helpers/cli-process.ts';
import {
  KEYS,
  fixtureOrg,
  makeFixtureImage,
  startFixturePortal,
  type FixtureImage,
} from '../helpers/portal-fixture.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';
import { resultOf } from './crash-fixture.ts';

const MiB = 1024 * 1024;
const tempDir = useTempDirs();

// Two portals: the first offers version 1, the second the admin's version 2 of the same image.
let first: RunningPortal;
let second: RunningPortal;
let next: FixtureImage;
let dataDir: string;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'provisim-update-'));
  const oldDir = join(dataDir, 'v1');
  const nextDir = join(dataDir, 'v2');
  const old = await makeFixtureImage(oldDir, { name: 'Eng ARM', arch: 'arm64' });
  // The admin's new version keeps the name: the Mac must not end with "Eng ARM (2)".
  next = await makeFixtureImage(nextDir, {
    name: 'Eng ARM',
    arch: 'arm64',
    seed: 'second version',
    sizeBytes: 2 * MiB,
  });
  first = await startFixturePortal(
    oldDir,
    fixtureOrg({ arm64: { url: old.path, checksum: old.sha256 } }),
  );
  second = await startFixturePortal(
    nextDir,
    fixtureOrg({ arm64: { url: next.path, checksum: next.sha256 } }),
  );
});
afterAll(async () => {
  await Promise.all([first?.close(), second?.close()]);
  await rm(dataDir, { recursive: true, force: true });
});

function run(portal: RunningPortal, home: string, crashAt?: string) {
  const args = runArgs(
    { portal: portal.url, license: KEYS.eng, home },
    '--accept',
    '--update',
    'replace',
    '--json',
  );
  return runCliProcess(args, crashAt === undefined ? {} : { PROVISIM_CRASH_AT: crashAt });
}

/** A home with version 1 registered, and the update to version 2 killed at `point`. */
async function killedDuringUpdate(point: string) {
  const home = await tempDir();
  const installed = await run(first, home);
  expect(resultOf(installed.stdout), installed.stdout).toMatchObject({ outcome: 'registered' });
  const previous = openAgentStore(home).get('vms')![0]!;
  const contents = await treeContents(previous.path);
  const killed = await run(second, home, point);
  expect(killed.signal, `${point}: ${killed.stderr}`).toBe('SIGKILL');
  return { home, previous, contents };
}

function vms(home: string): VmRecord[] {
  return openAgentStore(home).get('vms') ?? [];
}

describe('kill -9 during an update (Replace)', () => {
  it.each(['after-accept', `bytes:${MiB}`, 'after-verify', 'after-unpack'])(
    'killed at %s, the previous VM is still there and registered; the rerun replaces it',
    async (point) => {
      const { home, previous, contents } = await killedDuringUpdate(point);
      expect(vms(home).map((vm) => vm.uuid)).toEqual([previous.uuid]);
      expect(await treeContents(previous.path)).toEqual(contents);

      const rerun = await run(second, home);
      expect(resultOf(rerun.stdout), rerun.stderr).toMatchObject({
        outcome: 'updated',
        previousRemoved: true,
      });
      expect(vms(home).map((vm) => vm.source.kind === 'golden-image' && vm.source.sha256)).toEqual([
        next.sha256,
      ]);
      // The new version has the previous one's folder name, and none of its files.
      const [vm] = vms(home);
      expect(vm!.path).toBe(join(home, 'Parallels', 'Eng ARM.pvm'));
      expect(vm!.uuid).not.toBe(previous.uuid);
      expect(await treeContents(vm!.path)).not.toEqual(contents);
      expect(await readdir(join(home, 'Parallels'))).toEqual(['Eng ARM.pvm']);
    },
  );

  it.each([
    'after-registry-write',
    'before-previous-removed',
    'after-previous-moved',
    'after-vm-renamed',
  ])(
    'killed at %s, after the new VM was registered, the rerun finishes the Replace without downloading',
    async (point) => {
      const { home, previous } = await killedDuringUpdate(point);

      const rerun = await run(second, home);
      const lines = ndjson(rerun.stdout);
      expect(resultOf(rerun.stdout), rerun.stderr).toMatchObject({
        outcome: 'updated',
        previousRemoved: true,
        previous: { uuid: previous.uuid },
      });
      expect(lines.map((line) => line.type)).not.toContain('download-started');
      const left = vms(home);
      expect(left).toHaveLength(1);
      expect(left[0]!.source).toMatchObject({ sha256: next.sha256 });
      expect(left[0]!.name).toBe('Eng ARM');
      expect(await readdir(join(home, 'Parallels'))).toEqual(['Eng ARM.pvm']);
      expect(existsSync(join(home, 'renaming.json'))).toBe(false);
      expect(existsSync(join(home, 'replacing.json'))).toBe(false);
    },
  );
});
