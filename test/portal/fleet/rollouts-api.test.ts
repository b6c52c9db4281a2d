import { describe, expect, it } from 'vitest';
import type { RolloutSummary } from '../../../shared/admin-rollout.ts';
import type { AgentEventType } from '../../../shared/protocol.ts';
import { useAgentFixture } from '../../helpers/agent-fixture.ts';
import { KEYS, fixtureOrg, makeFixtureImage } from '../../helpers/portal-fixture.ts';
import { sampleEvent } from '../../helpers/sample-events.ts';
import { postEvents } from '../client-fixtures.ts';
import { admin, checkInAs, expectError, openStream, useFleetPortals } from './fleet-fixtures.ts';

const { tempDir, run } = useAgentFixture();
const start = useFleetPortals();

async function engPortal() {
  const dataDir = await tempDir();
  const arm = await makeFixtureImage(dataDir, { name: 'Eng ARM', arch: 'arm64' });
  const org = fixtureOrg({ arm64: { url: arm.path, checksum: arm.sha256 } });
  return start(dataDir, org, { streamThrottleMs: 10 });
}

// A Mac that checks in, is invited to the engineering image, and fails its download.
async function failingMac(portal: Awaited<ReturnType<typeof engPortal>>) {
  const deviceId = await checkInAs(portal, KEYS.eng);
  const image = { goldenImageId: 'eng-image' };
  const error = { code: 'INSUFFICIENT_DISK_SPACE', message: 'The disk is full.' };
  const types: AgentEventType[] = ['invited', 'accepted', 'download-started'];
  const events = [
    ...types.map((type) => sampleEvent(type, image)),
    sampleEvent('download-failed', { ...image, error }),
  ];
  const res = await postEvents(portal.url, deviceId, KEYS.eng, events);
  expect(res.status).toBe(202);
}

describe('GET /api/v1/admin/rollouts', () => {
  it('tells the rollout of real agent runs: registered, declined and failed by code', async () => {
    const portal = await engPortal();
    const registered = await run(portal, await tempDir()).result;
    expect(registered).toMatchObject({ outcome: 'registered' });
    const declined = await run(portal, await tempDir(), { decide: async () => 'decline' }).result;
    expect(declined).toMatchObject({ outcome: 'declined' });
    await failingMac(portal);

    const { status, body } = await admin(portal, 'GET', '/rollouts');
    expect(status).toBe(200);
    const [rollout] = body.rollouts as RolloutSummary[];
    expect(rollout).toMatchObject({
      goldenImageId: 'eng-image',
      name: 'Engineering VM',
      inOrg: true,
      offered: 3,
      accepted: 2,
      stages: { declined: 1, registered: 1, failed: 1, downloading: 0, unanswered: 0 },
      failures: [{ code: 'INSUFFICIENT_DISK_SPACE', macs: 1 }],
      timeToVm: { samples: 1 },
    });
    expect(rollout!.timeToVm!.p50Ms).toBeGreaterThanOrEqual(0);
    expect(body.rollouts).toHaveLength(1);
  });

  it('streams the rollouts at once, then again when an event moves a Mac', async () => {
    const portal = await engPortal();
    const stream = await openStream(portal);
    const first = await stream.next((m) => m.type === 'rollouts');
    expect(first).toMatchObject({ rollouts: [{ goldenImageId: 'eng-image', offered: 0 }] });

    await failingMac(portal);
    // The check-in alone moves no rollout; the stream goes on until the events have.
    const moved = await stream.next((m) => m.type === 'rollouts' && m.rollouts[0]?.offered === 1);
    expect(moved).toMatchObject({
      rollouts: [
        { offered: 1, stages: { failed: 1 }, failures: [{ code: 'INSUFFICIENT_DISK_SPACE' }] },
      ],
    });
    stream.close();
  });

  it('refuses a caller without the admin token', async () => {
    const portal = await engPortal();
    const res = await fetch(`${portal.url}/api/v1/admin/rollouts`);
    expectError({ status: res.status, body: await res.json() }, 401, 'UNAUTHORIZED');
  });
});
