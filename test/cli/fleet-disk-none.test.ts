import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { RunningPortal } from '../../electron/portal/server.ts';
import { ndjson, runCliProcess } from '../helpers/cli-process.ts';
import {
  fixtureOrg,
  KEYS,
  makeFixtureImage,
  startFixturePortal,
} from '../helpers/portal-fixture.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';
import { useArmPortals } from '../helpers/arm-portals.ts';

const tempDir = useTempDirs();
const armPortal = useArmPortals(tempDir);

// Every file under a folder, relative to it.
async function filesUnder(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .sort();
}

const eventTypes = (portal: RunningPortal, deviceId: string) =>
  portal.state.events({ deviceId }).map((event) => event.type);

describe('provisim fleet --disk none', () => {
  it('checks every byte, writes no VM and no download, registers simulated VMs the portal sees as registered', async () => {
    const { portal, image } = await armPortal('Simulated VM');
    const home = await tempDir();
    const args = ['fleet', '--portal', portal.url, '--license', KEYS.eng, '--macs', '4'];
    const run = await runCliProcess([...args, '--disk', 'none', '--home', home, '--json']);
    expect(run.code, run.stderr).toBe(0);
    const macs = ndjson(run.stdout).filter((line) => line.type === 'mac');
    expect(macs.map((mac) => mac.outcome)).toEqual(Array(4).fill('registered'));
    expect(macs.every((mac) => mac.bytes === image.sizeBytes)).toBe(true);

    // Only the settings, the log and the outbox: no VM folder, no staging, no partial download.
    const written = await filesUnder(join(home, 'fleet'));
    expect(written.filter((path) => /Parallels|downloads|\.pvm|\.part/.test(path))).toEqual([]);

    const one = join(home, 'fleet', 'QA-MBP-0001');
    const vms = await runCliProcess(['vms', '--home', one, '--json']);
    const [vm] = JSON.parse(vms.stdout) as Record<string, unknown>[];
    expect(vm).toMatchObject({ name: 'Simulated VM', simulated: true, arch: 'arm64' });
    const table = await runCliProcess(['vms', '--home', one]);
    expect(table.stdout).toContain('(simulated: no files)');

    for (const device of portal.state.devices()) {
      expect(eventTypes(portal, device.id)).toEqual(
        expect.arrayContaining([
          'accepted',
          'download-started',
          'verified',
          'unpacked',
          'registered',
        ]),
      );
    }
    // The record outlives the check that drops VMs whose folder is gone: a rerun finds it.
    const again = await runCliProcess([...args, '--disk', 'none', '--home', home, '--json']);
    expect(ndjson(again.stdout).at(-1)).toMatchObject({ outcomes: { 'already-registered': 4 } });
  });

  it('refuses a zip image per Mac, naming --disk full, and writes nothing of it', async () => {
    const dataDir = await tempDir();
    const zip = await makeFixtureImage(dataDir, { name: 'Zipped', arch: 'arm64', format: 'zip' });
    const portal = await startFixturePortal(
      dataDir,
      fixtureOrg({ arm64: { url: zip.path, checksum: zip.sha256 } }),
    );
    try {
      const home = await tempDir();
      const run = await runCliProcess([
        'fleet',
        '--portal',
        portal.url,
        '--license',
        KEYS.eng,
        '--macs',
        '2',
        '--disk',
        'none',
        '--home',
        home,
        '--json',
      ]);
      expect(run.code).toBe(1);
      const macs = ndjson(run.stdout).filter((line) => line.type === 'mac');
      for (const mac of macs) {
        expect(mac).toMatchObject({ outcome: 'failed', error: { code: 'ARCHIVE_INVALID' } });
        expect(String((mac.error as { message: string }).message)).toContain('--disk full');
      }
      expect(
        (await filesUnder(join(home, 'fleet'))).filter((p) => /downloads|Parallels/.test(p)),
      ).toEqual([]);
    } finally {
      await portal.close();
    }
  });

  it('refuses a --disk that is neither full nor none, as a usage error', async () => {
    const run = await runCliProcess([
      'fleet',
      '--portal',
      'http://127.0.0.1:9',
      '--license',
      'K',
      '--macs',
      '1',
      '--disk',
      'half',
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--disk.*full, none/);
  });
});
