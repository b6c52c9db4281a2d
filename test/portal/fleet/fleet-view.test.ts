import { describe, expect, it } from 'vitest';
import type { FleetDevice } from '../../../shared/admin-fleet.ts';
import { useAgentFixture } from '../../helpers/agent-fixture.ts';
import { KEYS, fixtureOrg, makeFixtureImage } from '../../helpers/portal-fixture.ts';
import { sampleEvent } from '../../helpers/sample-events.ts';
import type { AgentEventOf, AgentEventType } from '../../../shared/protocol.ts';
import { admin, checkInAs, expectError, openStream, useFleetPortals } from './fleet-fixtures.ts';

const { tempDir, run } = useAgentFixture();
const start = useFleetPortals();

async function engPortal(fleet = {}) {
  const dataDir = await tempDir();
  const arm = await makeFixtureImage(dataDir, { name: 'Eng ARM', arch: 'arm64' });
  const org = fixtureOrg({ arm64: { url: arm.path, checksum: arm.sha256 } });
  return start(dataDir, org, fleet);
}

type EventPart = { [T in AgentEventType]: { type: T } & Partial<AgentEventOf<T>> }[AgentEventType];

function postEvents(url: string, deviceId: string, events: EventPart[]) {
  const licenseKey = KEYS.eng;
  const body = events.map((e, i) =>
    sampleEvent(e.type, { at: new Date(Date.UTC(2025, 0, 1, 0, 0, i)).toISOString(), ...e }),
  );
  return fetch(`${url}/api/v1/devices/${deviceId}/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ licenseKey, events: body }),
  });
}

describe('the fleet view', () => {
  it('shows a Mac after a real agent run: masked key, group, registered VM and phase', async () => {
    const portal = await engPortal();
    const outcome = await run(portal, await tempDir()).result;
    expect(outcome).toMatchObject({ outcome: 'registered' });

    const { status, body } = await admin(portal, 'GET', '/devices');
    expect(status).toBe(200);
    const [device] = body.devices as FleetDevice[];
    expect(device).toMatchObject({
      arch: 'arm64',
      serialNumber: expect.stringMatching(/^[A-HJ-NP-Z0-9]{10}$/),
      licenseKey: '****0002',
      groupId: 'eng',
      online: true,
      phase: 'registered',
      progress: null,
      retrieval: null,
      corporateVms: [{ goldenImageId: 'eng-image', arch: 'arm64', name: expect.any(String) }],
    });
    expect(JSON.stringify(body)).not.toContain(KEYS.eng);

    const registered = await admin(
      portal,
      'GET',
      `/events?deviceId=${device!.deviceId}&type=registered`,
    );
    expect(registered.body.events).toHaveLength(1);
    const newest = await admin(portal, 'GET', '/events?limit=2');
    expect(newest.body.events.map((e: { type: string }) => e.type)).toEqual([
      'unpacked',
      'registered',
    ]);
  });

  it('tells the download phase and progress from the latest events, and a failure after it', async () => {
    const portal = await engPortal();
    const deviceId = await checkInAs(portal, KEYS.eng);
    await postEvents(portal.url, deviceId, [
      { type: 'download-started', offset: 0, total: 1000 },
      { type: 'download-progress', transferred: 500, total: 1000 },
    ]);
    const during = await admin(portal, 'GET', '/devices');
    expect(during.body.devices[0]).toMatchObject({
      phase: 'downloading',
      progress: { transferred: 500, total: 1000 },
    });
    await postEvents(portal.url, deviceId, [
      { type: 'download-failed', error: { code: 'X', message: 'It failed.' } },
    ]);
    const after = await admin(portal, 'GET', '/devices');
    expect(after.body.devices[0]).toMatchObject({ phase: 'failed', progress: null });
  });

  it('keeps the serial number a Mac reports, finds it by search, and refuses one that is not letters and digits', async () => {
    const portal = await engPortal();
    const checkIn = (serialNumber: string) =>
      fetch(`${portal.url}/api/v1/checkin`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          licenseKey: KEYS.eng,
          deviceId: crypto.randomUUID(),
          hostname: 'mac-9.acme.test',
          serialNumber,
          arch: 'arm64',
          agentVersion: '1.0.0',
        }),
      });
    expect((await checkIn('C02ZK1XMMD6T')).status).toBe(200);
    for (const hostile of ['\u001b[2J', 'c02zk1xmmd6t', '<b>X</b>', 'A'.repeat(40)]) {
      const refused = await checkIn(hostile);
      expect(refused.status, hostile).toBe(400);
      expect(await refused.json()).toMatchObject({ error: { code: 'BAD_REQUEST' } });
    }
    await checkInAs(portal, KEYS.eng);
    const found = await admin(portal, 'GET', '/devices?search=zk1x');
    expect((found.body.devices as FleetDevice[]).map((d) => d.serialNumber)).toEqual([
      'C02ZK1XMMD6T',
    ]);
    const all = await admin(portal, 'GET', '/devices');
    // An agent that reports no serial number still gets its row.
    expect((all.body.devices as FleetDevice[]).map((d) => d.serialNumber)).toEqual([
      'C02ZK1XMMD6T',
      null,
    ]);
  });

  it('counts a Mac offline once two check-in intervals passed without a check-in', async () => {
    let now = Date.now();
    const portal = await engPortal({ now: () => now });
    await checkInAs(portal, KEYS.eng);
    expect((await admin(portal, 'GET', '/devices')).body.devices[0].online).toBe(true);
    now += 2 * 60_000 + 1_000;
    expect((await admin(portal, 'GET', '/devices')).body.devices[0].online).toBe(false);
  });

  it('streams a Mac going offline, though nothing but time changed', async () => {
    let now = Date.now();
    const portal = await engPortal({ now: () => now, streamThrottleMs: 10, streamRefreshMs: 20 });
    const stream = await openStream(portal);
    await checkInAs(portal, KEYS.eng);
    const online = await stream.next((m) => m.type === 'devices' && m.devices.length === 1);
    expect(online).toMatchObject({ devices: [{ online: true }] });
    now += 2 * 60_000 + 1_000;
    const offline = await stream.next((m) => m.type === 'devices');
    expect(offline).toMatchObject({ devices: [{ online: false }] });
    stream.close();
  });

  it('streams the devices at once, then device changes and every new event', async () => {
    const portal = await engPortal({ streamThrottleMs: 10 });
    const stream = await openStream(portal);
    expect(await stream.next()).toEqual({ type: 'devices', devices: [] });
    const deviceId = await checkInAs(portal, KEYS.eng);
    const devices = await stream.next((m) => m.type === 'devices');
    expect(devices).toMatchObject({ devices: [{ deviceId, phase: null }] });
    await postEvents(portal.url, deviceId, [{ type: 'download-started', offset: 0, total: 9 }]);
    expect(await stream.next((m) => m.type === 'event')).toMatchObject({
      deviceId,
      event: { type: 'download-started', total: 9 },
    });
    expect(await stream.next((m) => m.type === 'devices')).toMatchObject({
      devices: [{ phase: 'downloading', progress: { transferred: 0, total: 9 } }],
    });
    stream.close();
  });

  it('refuses a bad event filter and a missing token with a code and a sentence', async () => {
    const portal = await engPortal();
    expectError(await admin(portal, 'GET', '/events?type=exploded'), 400, 'BAD_REQUEST');
    expectError(await admin(portal, 'GET', '/events?limit=0'), 400, 'BAD_REQUEST');
    const res = await fetch(`${portal.url}/api/v1/admin/devices`);
    expect(res.status).toBe(401);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('UNAUTHORIZED');
  });
});
