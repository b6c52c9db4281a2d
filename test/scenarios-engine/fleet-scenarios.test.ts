import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ScenarioError, loadScenario } from '../../electron/scenarios/load-scenario.ts';
import {
  checkFleetExpectations,
  describeFleetExpect,
} from '../../electron/scenarios/fleet-expectations.ts';
import type { FleetResult } from '../../electron/fleet/fleet-tally.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs();

async function load(text: string) {
  const dir = await tempDir();
  await mkdir(dir, { recursive: true });
  const file = join(dir, 'fleet.yaml');
  await writeFile(file, text);
  return loadScenario(file);
}

const FLEET = `name: fleet
org: { fixture: standard }
agent: { license: QA-ENG-0002, macs: 10, acceptRate: 0.5 }
expect:
  fleet:
    registered: { min: 2, max: 8 }
    failed: { CHECKSUM_MISMATCH: 1 }
`;

const result = (over: Partial<FleetResult>): FleetResult => ({
  type: 'fleet-result',
  macs: 10,
  failedMacs: 0,
  outcomes: {},
  errors: {},
  timeToVmMs: { p50: null, p90: null, p99: null },
  retries: { p50: null, p90: null, p99: null },
  bytes: { p50: null, p90: null, p99: null },
  bytesTotal: 0,
  durationMs: 1,
  interrupted: false,
  ...over,
});

describe('fleet scenarios', () => {
  it('load with agent.macs and expect.fleet, and no outcome', async () => {
    const scenario = await load(FLEET);
    expect(scenario.agent).toMatchObject({ macs: 10, acceptRate: 0.5 });
    expect(describeFleetExpect(scenario.expect.fleet!)).toBe(
      '2..8 registered, 1 CHECKSUM_MISMATCH',
    );
  });

  it('refuse one-Mac expectations on a fleet, fleet ones on one Mac, and steps on a fleet', async () => {
    const mixed = FLEET.replace(
      'expect:\n',
      'steps: [{ do: run }]\nexpect:\n  outcome: registered\n',
    );
    await expect(load(mixed)).rejects.toThrow(ScenarioError);
    await expect(load(mixed)).rejects.toThrow(/expect\.outcome.*one Mac/s);
    await expect(load(mixed)).rejects.toThrow(/steps.*fleet runs once/s);
    const single = FLEET.replace(', macs: 10, acceptRate: 0.5', '');
    await expect(load(single)).rejects.toThrow(/expect\.fleet.*needs agent\.macs/s);
    await expect(load(single)).rejects.toThrow(/expect\.outcome.*required/s);
  });

  it('hold counts and ranges, and name each one that does not hold', () => {
    const expected = { registered: { min: 2, max: 8 }, failed: { CHECKSUM_MISMATCH: 1 } };
    const good = result({
      outcomes: { registered: 9, failed: 1 },
      errors: { CHECKSUM_MISMATCH: 1 },
    });
    expect(checkFleetExpectations({ registered: 9, failed: 1 }, good)).toEqual([]);
    expect(checkFleetExpectations(expected, good)).toEqual([
      '9 Macs ended registered, expected 2..8',
    ]);
    const other = result({
      outcomes: { registered: 5, failed: 2 },
      errors: { CHECKSUM_MISMATCH: 1, DOWNLOAD_FAILED: 1 },
    });
    expect(checkFleetExpectations(expected, other)).toEqual([
      '1 Macs failed with DOWNLOAD_FAILED, expected 0',
    ]);
    expect(checkFleetExpectations({ failed: { min: 3 } }, other)).toEqual([
      '2 Macs failed, expected at least 3',
    ]);
    expect(checkFleetExpectations(expected, undefined)).toEqual([
      'the fleet printed no fleet-result line',
    ]);
  });
});
