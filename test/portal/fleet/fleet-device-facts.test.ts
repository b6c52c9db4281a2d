import { describe, expect, it } from 'vitest';
import type { AdminFleetDevice } from '../../../electron/portal/fleet/fleet-device-facts.ts';
import type { OrgConfig } from '../../../electron/portal/org-config.ts';
import type { RunningPortal } from '../../../electron/portal/server.ts';
import type { AgentEventOf, AgentEventType } from '../../../shared/protocol.ts';
import { KEYS, fixtureOrg } from '../../helpers/portal-fixture.ts';
import { sampleEvent } from '../../helpers/sample-events.ts';
import { useTempDirs } from '../../helpers/temp-dir.ts';
import { admin, checkInAs, useFleetPortals } from './fleet-fixtures.ts';

const tempDir = useTempDirs();
const start = useFleetPortals();

// A quarter of an hour between check-ins, as organisations set it: far above a one-shot run.
async function portalWith(fleet = {}) {
  const org: OrgConfig = { ...fixtureOrg({}), checkInIntervalSec: 900 };
  return start(await tempDir(), org, fleet);
}

async function device(portal: RunningPortal, deviceId: string): Promise<AdminFleetDevice> {
  const { body } = await admin(portal, 'GET', '/devices');
  return (body.devices as AdminFleetDevice[]).find((d) => d.deviceId === deviceId)!;
}

type EventPart = { [T in AgentEventType]: { type: T } & Partial<AgentEventOf<T>> }[AgentEventType];

async function postEvents(portal: RunningPortal, deviceId: string, events: EventPart[]) {
  const body = events.map((e) => sampleEvent(e.type, e));
  const res = await fetch(`${portal.url}/api/v1/devices/${deviceId}/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ licenseKey: KEYS.eng, events: body }),
  });
  expect(res.status).toBe(202);
}

const at = (second: number) => new Date(Date.UTC(2025, 0, 1, 0, 0, second)).toISOString();

describe('what the fleet view tells beyond the shared device shape', () => {
  it('tells why a Mac whose key was revoked is refused at its check-in', async () => {
    const portal = await portalWith();
    const deviceId = await checkInAs(portal, KEYS.eng);
    expect(await device(portal, deviceId)).toMatchObject({ refusedWith: null });
    await admin(portal, 'PUT', `/license-keys/${KEYS.eng}`, {
      kind: 'sublicense',
      state: 'revoked',
    });
    const refused = await fetch(`${portal.url}/api/v1/checkin`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        licenseKey: KEYS.eng,
        deviceId,
        hostname: 'mac-7.acme.test',
        arch: 'arm64',
        agentVersion: '1.0.0',
      }),
    });
    expect(refused.status).toBe(403);
    expect(await device(portal, deviceId)).toMatchObject({ refusedWith: 'LICENSE_REVOKED' });
  });

  it('tells the speed of a download and the time left from its two newest reports', async () => {
    const portal = await portalWith();
    const deviceId = await checkInAs(portal, KEYS.eng);
    await postEvents(portal, deviceId, [
      { type: 'download-started', offset: 0, total: 10_000_000, at: at(0) },
      { type: 'download-progress', transferred: 1_000_000, total: 10_000_000, at: at(5) },
      { type: 'download-progress', transferred: 3_000_000, total: 10_000_000, at: at(10) },
    ]);
    expect(await device(portal, deviceId)).toMatchObject({
      phase: 'downloading',
      download: { bytesPerSec: 400_000, secondsLeft: 18 },
    });
    // A retry starts a new attempt: the reports before it tell nothing about its speed.
    await postEvents(portal, deviceId, [
      { type: 'download-retrying', attempt: 2, at: at(11) },
      { type: 'download-progress', transferred: 3_500_000, total: 10_000_000, at: at(15) },
    ]);
    expect(await device(portal, deviceId)).toMatchObject({ download: null });
  });

  it('counts a Mac that ran once offline minutes after it was last heard from, unlike an agent', async () => {
    let now = Date.now();
    const portal = await portalWith({ now: () => now, waitMs: 20 });
    const once = await checkInAs(portal, KEYS.eng);
    const agent = await checkInAs(portal, KEYS.eng);
    // The agent polls its retrieval channel, as every running agent does after a check-in.
    const poll = await fetch(
      `${portal.url}/api/v1/devices/${agent}/commands?licenseKey=${KEYS.eng}`,
    );
    expect(poll.status).toBe(204);
    now += 4 * 60_000;
    expect(await device(portal, once)).toMatchObject({ online: false });
    expect(await device(portal, agent)).toMatchObject({ online: true });
    now += 27 * 60_000;
    expect(await device(portal, agent)).toMatchObject({ online: false });
  });
});
