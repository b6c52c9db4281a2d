import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  parseArchMix,
  parseDuration,
  parseDurationRange,
  parseRate,
  parseShard,
  readLicensesFile,
} from '../../electron/fleet/fleet-options.ts';
import { planFleet, type FleetPlanOptions } from '../../electron/fleet/fleet-plan.ts';
import { progressIntervalFor } from '../../electron/fleet/fleet-run.ts';
import { percentiles } from '../../electron/fleet/fleet-tally.ts';

const base: FleetPlanOptions = {
  macs: 1000,
  licenses: [
    { key: 'A', weight: 3 },
    { key: 'B', weight: 1 },
  ],
  archMix: { arm64: 70, x86_64: 30 },
  acceptRate: 0.8,
  rampMs: 60_000,
  thinkMs: { min: 1_000, max: 5_000 },
  seed: 7,
};

const share = (values: readonly boolean[]) => values.filter(Boolean).length / values.length;

describe('planFleet', () => {
  it('makes the same Macs from the same seed, and others from another', () => {
    expect(planFleet(base)).toEqual(planFleet(base));
    expect(planFleet({ ...base, seed: 8 })).not.toEqual(planFleet(base));
  });

  it('gives each Mac a distinct, padded host name and spreads the starts over the ramp', () => {
    const macs = planFleet(base);
    expect(new Set(macs.map((m) => m.hostname)).size).toBe(1000);
    expect(macs[41]!.hostname).toBe('QA-MBP-0042');
    expect(macs[0]!.startDelayMs).toBe(0);
    expect(macs[500]!.startDelayMs).toBe(30_000);
    expect(Math.max(...macs.map((m) => m.startDelayMs))).toBeLessThan(60_000);
  });

  it("gives each Mac a serial number of its own, in the form of a Mac's, the same for its seed", () => {
    const serials = planFleet(base).map((m) => m.serialNumber);
    expect(new Set(serials).size).toBe(1000);
    expect(serials.every((s) => /^[A-HJ-NP-Z0-9]{10}$/.test(s))).toBe(true);
    expect(planFleet({ ...base, macs: 10 }).map((m) => m.serialNumber)).toEqual(
      serials.slice(0, 10),
    );
    expect(planFleet({ ...base, seed: 8 }).map((m) => m.serialNumber)).not.toContain(serials[0]);
  });

  it('follows the accept rate, the arch mix, the license weights and the think range', () => {
    const macs = planFleet(base);
    expect(share(macs.map((m) => m.accepts))).toBeCloseTo(0.8, 1);
    expect(share(macs.map((m) => m.arch === 'arm64'))).toBeCloseTo(0.7, 1);
    expect(share(macs.map((m) => m.licenseKey === 'A'))).toBeCloseTo(0.75, 1);
    expect(macs.every((m) => m.thinkMs >= 1_000 && m.thinkMs <= 5_000)).toBe(true);
    const none = planFleet({ ...base, acceptRate: 0, archMix: { arm64: 0, x86_64: 1 } });
    expect(none.some((m) => m.accepts || m.arch === 'arm64')).toBe(false);
  });

  it("keeps a Mac's choices when the fleet grows, so a bigger rerun continues the same Macs", () => {
    expect(
      planFleet({ ...base, macs: 2000 })
        .slice(0, 1000)
        .map((m) => m.accepts),
    ).toEqual(planFleet(base).map((m) => m.accepts));
  });
});

describe('fleet options', () => {
  it('reads durations, ranges, shares and rates, and refuses what they are not', () => {
    expect(parseDuration('500ms')).toBe(500);
    expect(parseDuration('1.5s')).toBe(1_500);
    expect(parseDuration('2m')).toBe(120_000);
    expect(parseDuration('3')).toBe(3_000);
    expect(() => parseDuration('soon')).toThrow(/duration like/);
    expect(parseDurationRange('1s..5s')).toEqual({ min: 1_000, max: 5_000 });
    expect(parseDurationRange('2s')).toEqual({ min: 2_000, max: 2_000 });
    expect(() => parseDurationRange('5s..1s')).toThrow(/shorter/);
    expect(parseArchMix('arm64=70,x86_64=30')).toEqual({ arm64: 70, x86_64: 30 });
    expect(parseArchMix('x86_64=1')).toEqual({ arm64: 0, x86_64: 1 });
    expect(() => parseArchMix('ppc=1')).toThrow(/arm64=70/);
    expect(() => parseArchMix('arm64=0')).toThrow(/above 0/);
    expect(parseRate('0.8')).toBe(0.8);
    expect(() => parseRate('1.2')).toThrow(/0 to 1/);
    expect(() => parseRate('')).toThrow(/0 to 1/);
    expect(parseShard('0/4')).toEqual({ index: 0, count: 4 });
    expect(parseShard('3/4')).toEqual({ index: 3, count: 4 });
    for (const bad of ['4/4', '5/4', '0/0', '-1/4', '2', 'a/b']) {
      expect(() => parseShard(bad), bad).toThrow(/I\/N/);
    }
  });

  it('reads a licenses file of key,weight lines, and names the bad line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'provisim-licenses-'));
    const good = join(dir, 'good.csv');
    await writeFile(good, '# keys\nACME-ENG-0002,3\n\nACME-FIN-0003\n');
    expect(await readLicensesFile(good)).toEqual([
      { key: 'ACME-ENG-0002', weight: 3 },
      { key: 'ACME-FIN-0003', weight: 1 },
    ]);
    const bad = join(dir, 'bad.csv');
    await writeFile(bad, 'ACME-ENG-0002,3\nACME-FIN-0003,zero\n');
    await expect(readLicensesFile(bad)).rejects.toMatchObject({
      code: 'USAGE',
      message: expect.stringContaining('Line 2'),
    });
    await expect(readLicensesFile(join(dir, 'missing.csv'))).rejects.toMatchObject({
      code: 'USAGE',
    });
  });
});

describe('progressIntervalFor', () => {
  it("keeps one Mac's 5 s for small fleets and spreads a large fleet's progress to about 20 events a second", () => {
    expect(progressIntervalFor(1)).toBe(5_000);
    expect(progressIntervalFor(100)).toBe(5_000);
    expect(progressIntervalFor(500)).toBe(25_000);
    expect(progressIntervalFor(10_000)).toBe(500_000);
  });
});

describe('percentiles', () => {
  it('are nearest-rank, and null without values', () => {
    const values = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentiles(values)).toEqual({ p50: 50, p90: 90, p99: 99 });
    expect(percentiles([7])).toEqual({ p50: 7, p90: 7, p99: 7 });
    expect(percentiles([])).toEqual({ p50: null, p90: null, p99: null });
  });
});
