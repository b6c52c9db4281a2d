import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { RunningPortal } from '../../electron/portal/server.ts';
import { ndjson, runCliProcess, startCli } from '../helpers/cli-process.ts';
import {
  fixtureOrg,
  KEYS,
  makeFixtureImage,
  startFixturePortal,
} from '../helpers/portal-fixture.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs();
const portals: RunningPortal[] = [];
afterEach(async () => {
  await Promise.all(portals.splice(0).map((portal) => portal.close()));
});

const MACS = 8;

describe('provisim fleet after kill -9', () => {
  it('continues every Mac on the rerun: downloads resume, and no Mac registers its VM twice', async () => {
    const dataDir = await tempDir();
    const image = await makeFixtureImage(dataDir, {
      name: 'Crash VM',
      arch: 'arm64',
      sizeBytes: 4 * 1024 * 1024,
    });
    const portal = await startFixturePortal(
      dataDir,
      fixtureOrg({ arm64: { url: image.path, checksum: image.sha256 } }),
    );
    portals.push(portal);
    const home = await tempDir();
    // Spread starts and a capped line: when the first Mac ends, others are part-way or waiting.
    const args = ['fleet', '--portal', portal.url, '--license', KEYS.eng, '--macs', String(MACS)];
    const slow = ['--ramp', '4s', '--bandwidth-per-mac', '2MiB'];
    const first = startCli([...args, ...slow, '--home', home, '--json']);
    await first.waitForLine((line) => line.includes('"outcome":"registered"'));
    first.child.kill('SIGKILL');
    const killed = await first.done;
    expect(killed.signal).toBe('SIGKILL');
    const before = ndjson(killed.stdout).filter((line) => line.type === 'mac');
    expect(before.length).toBeLessThan(MACS);

    const rerun = await runCliProcess([...args, '--home', home, '--json']);
    expect(rerun.code, rerun.stderr).toBe(0);
    const after = ndjson(rerun.stdout).filter((line) => line.type === 'mac');
    expect(after).toHaveLength(MACS);
    const outcomes = after.map((mac) => mac.outcome);
    expect(outcomes.every((o) => o === 'registered' || o === 'already-registered')).toBe(true);
    expect(outcomes.filter((o) => o === 'already-registered').length).toBeGreaterThanOrEqual(
      before.length,
    );
    // A Mac that was part-way fetched only the rest of its image.
    const resumed = after.filter(
      (mac) => mac.outcome === 'registered' && (mac.bytes as number) < image.sizeBytes,
    );
    expect(resumed.length).toBeGreaterThan(0);

    for (const mac of after) {
      const macHome = join(home, 'fleet', String(mac.hostname));
      const settings = JSON.parse(await readFile(join(macHome, 'agent.json'), 'utf8')) as {
        vms: { path: string }[];
      };
      expect(settings.vms, String(mac.hostname)).toHaveLength(1);
      // One VM folder and nothing half-made beside it.
      expect(await readdir(join(macHome, 'Parallels'))).toEqual(['Crash VM.pvm']);
      expect(await readdir(join(macHome, 'downloads'))).toEqual([]);
    }
    for (const device of portal.state.devices()) {
      const registered = portal.state.events({ deviceId: device.id, type: 'registered' });
      expect(registered, String(device.hostname)).toHaveLength(1);
    }
    expect(portal.state.devices()).toHaveLength(MACS);
  });
});
