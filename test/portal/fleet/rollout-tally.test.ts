import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../../electron/portal/portal-state.ts';
import { deriveRollouts, percentiles } from '../../../electron/portal/fleet/rollout-tally.ts';
import type { AgentEventOf, AgentEventType } from '../../../shared/protocol.ts';
import { sampleEvent } from '../../helpers/sample-events.ts';

const IMAGES = [
  { id: 'win11', name: 'ACME Windows 11' },
  { id: 'unused', name: 'Nobody has it yet' },
];
const START = Date.UTC(2025, 0, 1);

type Step = { [T in AgentEventType]: [T, Partial<AgentEventOf<T>>?] }[AgentEventType];

// One Mac's events, one minute apart from `minute` on, about `win11` unless a step says otherwise.
function mac(deviceId: string, minute: number, steps: Step[]): StoredEvent[] {
  return steps.map(([type, fields], i) => {
    const at = new Date(START + (minute + i) * 60_000).toISOString();
    const event = sampleEvent(type, { goldenImageId: 'win11', at, ...fields } as never);
    return { ...event, deviceId, receivedAt: at };
  });
}

const failure = (code: string) => ({ error: { code, message: 'It failed.' } });
const download: Step[] = [['accepted'], ['download-started'], ['download-progress']];
const install: Step[] = [['download-finished'], ['verified'], ['unpacked'], ['registered']];

describe('deriveRollouts', () => {
  it('counts each offered Mac once, by where it stands: a retry that registered is not a failure', () => {
    const events = [
      // Failed a download, was invited again 10 minutes after the first invitation, registered.
      ...mac('retried', 0, [
        ['invited'],
        ...download,
        ['download-failed', failure('DOWNLOAD_FAILED')],
      ]),
      ...mac('retried', 10, [['invited'], ...download, ...install]),
      ...mac('declined', 0, [['invited'], ['declined']]),
      ...mac('downloading', 0, [['invited'], ...download]),
      ...mac('bad-sum', 0, [
        ['invited'],
        ...download,
        ['download-finished'],
        ['verify-failed', failure('CHECKSUM_MISMATCH')],
      ]),
      ...mac('no-space', 0, [
        ['invited'],
        ...download,
        ['download-failed', failure('INSUFFICIENT_DISK_SPACE')],
      ]),
      ...mac('full-disk', 0, [
        ['invited'],
        ...download,
        ['download-failed', failure('INSUFFICIENT_DISK_SPACE')],
      ]),
      ...mac('waiting', 0, [['invited']]),
      ...mac('quick', 5, [['invited'], ['accepted'], ...install]),
      // A check-in names the image on every run; it offers nothing by itself.
      ...mac('has-vm', 0, [['checked-in']]),
    ];

    const [win11, unused] = deriveRollouts(events, IMAGES);

    expect(win11).toMatchObject({
      goldenImageId: 'win11',
      name: 'ACME Windows 11',
      inOrg: true,
      offered: 8,
      accepted: 6,
      stages: {
        unanswered: 1,
        declined: 1,
        accepted: 0,
        downloading: 1,
        installing: 0,
        registered: 2,
        failed: 3,
      },
      failures: [
        { code: 'INSUFFICIENT_DISK_SPACE', macs: 2 },
        { code: 'CHECKSUM_MISMATCH', macs: 1 },
      ],
    });
    // From the first invitation: 5 minutes for "quick"; 17 for "retried" (first invited at 0).
    expect(win11!.timeToVm).toEqual({
      samples: 2,
      p50Ms: 5 * 60_000,
      p90Ms: 17 * 60_000,
      p99Ms: 17 * 60_000,
    });
    expect(unused).toMatchObject({ offered: 0, accepted: 0, failures: [], timeToVm: null });
  });

  it('tells a Mac that is verifying or unpacking apart from one still downloading', () => {
    const events = mac('m', 0, [['invited'], ...download, ['download-finished'], ['verified']]);
    const [win11] = deriveRollouts(events, IMAGES);
    expect(win11!.stages).toMatchObject({ downloading: 0, installing: 1 });
  });

  it('keeps a Mac registered when a later forced run of the same image fails', () => {
    const events = [
      ...mac('m', 0, [['invited'], ['accepted'], ...install]),
      ...mac('m', 30, [['invited'], ...download, ['download-failed', failure('DOWNLOAD_FAILED')]]),
    ];
    const [win11] = deriveRollouts(events, IMAGES);
    expect(win11).toMatchObject({ offered: 1, stages: { registered: 1, failed: 0 }, failures: [] });
    expect(win11!.timeToVm?.p50Ms).toBe(5 * 60_000);
  });

  it('lists an image the organisation no longer has after its own, named by the invitation', () => {
    const events = mac('m', 0, [['invited', { goldenImageId: 'old', name: 'Old VM' }]]);
    const rollouts = deriveRollouts(events, IMAGES);
    expect(rollouts.map((r) => r.goldenImageId)).toEqual(['win11', 'unused', 'old']);
    expect(rollouts[2]).toMatchObject({ name: 'Old VM', inOrg: false, offered: 1 });
  });

  it('counts a registration whose invitation is no longer kept, without a time to VM', () => {
    const events = mac('m', 0, [['unpacked'], ['registered', { recovered: true }]]);
    const [win11] = deriveRollouts(events, IMAGES);
    expect(win11).toMatchObject({ offered: 1, accepted: 1, stages: { registered: 1 } });
    expect(win11!.timeToVm).toBeNull();
  });
});

describe('percentiles', () => {
  it('takes the nearest rank, a time some Mac really took', () => {
    const hundred = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(percentiles(hundred)).toEqual({ samples: 100, p50Ms: 50, p90Ms: 90, p99Ms: 99 });
    expect(percentiles([7])).toEqual({ samples: 1, p50Ms: 7, p90Ms: 7, p99Ms: 7 });
    expect(percentiles([])).toBeNull();
  });
});
