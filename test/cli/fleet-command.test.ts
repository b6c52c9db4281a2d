import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { planFleet } from '../../electron/fleet/fleet-plan.ts';
import { ndjson, runArgs, runCliProcess, startCli } from '../helpers/cli-process.ts';
import { KEYS } from '../helpers/portal-fixture.ts';
import { useArmPortals } from '../helpers/arm-portals.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs();
const startArmPortal = useArmPortals(tempDir);
const armPortal = async () => (await startArmPortal('Fleet VM')).portal;

const macLines = (stdout: string) => ndjson(stdout).filter((line) => line.type === 'mac');

describe('provisim fleet', () => {
  it('rolls out to every Mac as its plan and policy say, and a rerun continues the same Macs', async () => {
    const portal = await armPortal();
    const home = await tempDir();
    const junit = join(home, 'fleet.xml');
    const args = ['fleet', '--portal', portal.url, '--macs', '8', '--seed', '3'];
    const flags = ['--license', KEYS.eng, '--license', KEYS.strict, '--accept-rate', '0.5'];
    const run = await runCliProcess([
      ...args,
      ...flags,
      '--home',
      home,
      '--json',
      '--junit',
      junit,
    ]);
    expect(run.code, run.stderr).toBe(0);

    // The same plan the command made: who accepts, and which key (strict is corporate-only).
    const plan = planFleet({
      macs: 8,
      licenses: [KEYS.eng, KEYS.strict].map((key) => ({ key, weight: 1 })),
      archMix: { arm64: 1, x86_64: 0 },
      acceptRate: 0.5,
      rampMs: 0,
      thinkMs: { min: 0, max: 0 },
      seed: 3,
    });
    const expected = plan.map((mac) =>
      mac.accepts
        ? { hostname: mac.hostname, outcome: 'registered' }
        : {
            hostname: mac.hostname,
            outcome: 'declined',
            assistant: mac.licenseKey === KEYS.strict ? 'corporate-only' : 'created',
          },
    );
    const byHost = (a: Record<string, unknown>, b: Record<string, unknown>) =>
      String(a.hostname).localeCompare(String(b.hostname));
    expect(macLines(run.stdout).sort(byHost)).toEqual(
      expected.map((mac) => expect.objectContaining(mac)),
    );
    expect(new Set(plan.map((mac) => mac.accepts)).size).toBe(2);
    const result = ndjson(run.stdout).at(-1)!;
    expect(result).toMatchObject({
      type: 'fleet-result',
      macs: 8,
      failedMacs: 0,
      interrupted: false,
      outcomes: {
        registered: plan.filter((m) => m.accepts).length,
        declined: plan.filter((m) => !m.accepts).length,
      },
    });
    const reported = portal.state
      .devices()
      .map((device) => `${device.hostname} ${device.serialNumber}`)
      .sort();
    expect(reported).toEqual(plan.map((mac) => `${mac.hostname} ${mac.serialNumber}`));
    const xml = new XMLParser({ ignoreAttributes: false }).parse(await readFile(junit, 'utf8'));
    expect(xml.testsuites.testsuite['@_tests']).toBe('8');

    const again = await runCliProcess([...args, ...flags, '--home', home, '--json']);
    expect(again.code, again.stderr).toBe(0);
    const registeredBefore = expected.filter((m) => m.outcome === 'registered').length;
    expect(ndjson(again.stdout).at(-1)).toMatchObject({
      outcomes: { 'already-registered': registeredBefore },
    });
    expect(portal.state.devices()).toHaveLength(8);
  });

  it('counts the Macs a revoked key fails, and exits 1', async () => {
    const portal = await armPortal();
    const home = await tempDir();
    const licenses = join(home, 'licenses.csv');
    await writeFile(licenses, `${KEYS.eng},1\n${KEYS.revoked},1\n`);
    const args = ['fleet', '--portal', portal.url, '--macs', '6', '--licenses', licenses];
    const run = await runCliProcess([...args, '--home', home]);
    expect(run.code).toBe(1);
    const plan = planFleet({
      macs: 6,
      licenses: [KEYS.eng, KEYS.revoked].map((key) => ({ key, weight: 1 })),
      archMix: { arm64: 1, x86_64: 0 },
      acceptRate: 1,
      rampMs: 0,
      thinkMs: { min: 0, max: 0 },
      seed: 1,
    });
    const revoked = plan.filter((mac) => mac.licenseKey === KEYS.revoked);
    expect(revoked.length).toBeGreaterThan(0);
    // The closing table on stdout, each failed Mac on stderr as it ends.
    expect(run.stdout).toMatch(new RegExp(`LICENSE_REVOKED\\s+${revoked.length}\\n`));
    expect(run.stdout).toMatch(new RegExp(`registered\\s+${6 - revoked.length}\\n`));
    for (const mac of revoked)
      expect(run.stderr).toContain(`${mac.hostname} failed (LICENSE_REVOKED)`);
  });

  it('stops at Ctrl-C with exit 130: Macs still waiting end as CANCELLED', async () => {
    const portal = await armPortal();
    const home = await tempDir();
    const fleet = startCli([
      'fleet',
      ...['--portal', portal.url, '--macs', '3', '--license', KEYS.eng, '--ramp', '600s'],
      ...['--home', home, '--json'],
    ]);
    await fleet.waitForLine((line) => line.includes('"type":"mac"'));
    fleet.child.kill('SIGINT');
    const done = await fleet.done;
    expect(done.code).toBe(130);
    expect(ndjson(done.stdout).at(-1)).toMatchObject({
      type: 'fleet-result',
      interrupted: true,
      outcomes: { registered: 1, failed: 2 },
      errors: { CANCELLED: 2 },
    });
  });

  it('holds each Mac to --bandwidth-per-mac: no Mac gets its VM sooner than its image allows', async () => {
    const { portal, image } = await startArmPortal('Fleet VM');
    const rate = Math.ceil(image.sizeBytes / 1.5);
    const run = await runCliProcess([
      'fleet',
      ...['--portal', portal.url, '--macs', '2', '--license', KEYS.eng],
      ...['--bandwidth-per-mac', String(rate), '--home', await tempDir(), '--json'],
    ]);
    expect(run.code, run.stderr).toBe(0);
    const macs = macLines(run.stdout);
    expect(macs).toHaveLength(2);
    for (const mac of macs) {
      expect(mac).toMatchObject({ outcome: 'registered', bytes: image.sizeBytes });
      expect(mac.timeToVmMs as number).toBeGreaterThanOrEqual(1_500);
    }
    const bad = await runCliProcess([
      'fleet',
      ...['--portal', portal.url, '--macs', '2', '--license', KEYS.eng],
      ...['--bandwidth-per-mac', 'fast'],
    ]);
    expect(bad.code).toBe(2);
  });

  it('splits one fleet over --shard processes: shards 0/3, 1/3 and 2/3 together are the unsharded fleet', async () => {
    const [sharded, whole] = [await armPortal(), await armPortal()];
    const fleet = ['--macs', '9', '--seed', '5', '--accept-rate', '0.5', '--disk', 'none'];
    const args = (url: string) => ['fleet', '--portal', url, '--license', KEYS.eng, ...fleet];
    const home = await tempDir();
    const shards = await Promise.all(
      ['0/3', '1/3', '2/3'].map((shard) =>
        runCliProcess([...args(sharded.url), '--shard', shard, '--home', home, '--json']),
      ),
    );
    const unsharded = await runCliProcess([
      ...args(whole.url),
      '--home',
      await tempDir(),
      '--json',
    ]);
    const macs = (stdout: string) =>
      macLines(stdout).map((mac) => `${String(mac.hostname)} ${String(mac.outcome)}`);
    expect(
      shards.map((run) =>
        macs(run.stdout)
          .map((mac) => mac.split(' ')[0])
          .sort(),
      ),
    ).toEqual([
      ['QA-MBP-0001', 'QA-MBP-0004', 'QA-MBP-0007'],
      ['QA-MBP-0002', 'QA-MBP-0005', 'QA-MBP-0008'],
      ['QA-MBP-0003', 'QA-MBP-0006', 'QA-MBP-0009'],
    ]);
    const together = shards.flatMap((run) => macs(run.stdout)).sort();
    expect(together).toEqual(macs(unsharded.stdout).sort());
    // Both outcomes occur, so the comparison says something about the seeded choices.
    expect(new Set(together.map((mac) => mac.split(' ')[1]))).toEqual(
      new Set(['registered', 'declined']),
    );
    expect(sharded.state.devices()).toHaveLength(9);
  });

  it('refuses usage errors with exit 2', async () => {
    const portal = await armPortal();
    const base = ['fleet', '--portal', portal.url, '--home', await tempDir()];
    for (const extra of [
      ['--macs', '0', '--license', KEYS.eng],
      ['--macs', '2'],
      ['--macs', '2', '--license', KEYS.eng, '--arch-mix', 'sparc=1'],
      ['--macs', '2', '--license', KEYS.eng, '--think', '5s..1s'],
      ['--macs', '20000', '--license', KEYS.eng],
    ]) {
      const run = await runCliProcess([...base, ...extra]);
      expect(run.code, extra.join(' ')).toBe(2);
    }
    expect(portal.state.devices()).toHaveLength(0);
  });
});

describe('provisim run --hostname', () => {
  it('reports the given host name to the portal, and refuses one that is no host name', async () => {
    const portal = await armPortal();
    const target = { portal: portal.url, license: KEYS.eng, home: await tempDir() };
    const run = await runCliProcess(runArgs(target, '--accept', '--hostname', 'QA-MBP-0042'));
    expect(run.code, run.stderr).toBe(0);
    expect(portal.state.devices()[0]).toMatchObject({ hostname: 'QA-MBP-0042' });
    const bad = await runCliProcess(runArgs(target, '--accept', '--hostname', 'two words'));
    expect(bad.code).toBe(2);
  });
});

describe('provisim demo --macs', () => {
  it('rolls the demo portal out to a small fleet with capped downloads, naming the admin pages', async () => {
    const home = await tempDir();
    const run = await runCliProcess(['demo', '--macs', '2', '--size', '64KiB', '--home', home]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(/admin pages: http:\/\/127\.0\.0\.1:\d+\/admin/);
    // The fleet demo's portal lives while the admin watches: its new token is shown.
    expect(run.stderr).toMatch(/Admin token \(shown only this once/);
    expect(run.stdout).toMatch(/^2 Macs in /);
    expect(run.stdout).toMatch(/time to VM \(p50\/p90\/p99\)/);
  });
});
