import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { FleetAnswer, FleetEventsAnswer } from '../../../shared/admin-fleet.ts';
import { useTempDirs } from '../../helpers/temp-dir.ts';
import { sampleEvent } from '../../helpers/sample-events.ts';
import { sampleOrg } from '../portal-fixtures.ts';
import { admin, expectError, useFleetPortals } from './fleet-fixtures.ts';

const tempDir = useTempDirs();
const start = useFleetPortals();
const KEYS = ['ACME-ENG-0002', 'ACME-FIN-0003', 'ACME-PRIMARY-0001'];

// 30 Macs, first seen in order: mac-00 .. mac-29, keys in turn (engineering, finance, primary);
// every fifth registered, other fourths downloading, the others idle.
async function fleetPortal() {
  const portal = await start(await tempDir(), sampleOrg());
  const ids: string[] = [];
  for (let i = 0; i < 30; i += 1) {
    const deviceId = randomUUID();
    const licenseKey = KEYS[i % 3]!;
    ids.push(deviceId);
    const hostname = `MAC-${String(i).padStart(2, '0')}.acme.test`;
    const checkIn = { licenseKey, deviceId, hostname, arch: 'arm64', agentVersion: '1.0.0' };
    await post(portal.url, '/api/v1/checkin', checkIn);
    const type = i % 5 === 0 ? 'registered' : i % 4 === 0 ? 'download-progress' : undefined;
    if (type === undefined) continue;
    const event = sampleEvent(type, { goldenImageId: `image-${i % 2}` });
    await post(portal.url, `/api/v1/devices/${deviceId}/events`, { licenseKey, events: [event] });
  }
  return { portal, ids };
}

async function post(url: string, path: string, body: unknown): Promise<void> {
  const res = await fetch(`${url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(res.status).toBeLessThan(300);
}

const hostnames = (answer: FleetAnswer) => answer.devices.map((d) => d.hostname.slice(0, 6));

describe('GET /api/v1/admin/devices, paged and filtered', () => {
  it('lists every device without a limit, with the counts per phase', async () => {
    const { portal } = await fleetPortal();
    const { status, body } = await admin(portal, 'GET', '/devices');
    expect(status).toBe(200);
    expect(body.devices).toHaveLength(30);
    expect(body).toMatchObject({ total: 30, offset: 0 });
    // Registered: 0, 5, 10, 15, 20, 25; downloading: 4, 8, 12, 16, 24, 28.
    expect(body.phaseCounts).toMatchObject({ registered: 6, downloading: 6, idle: 18, failed: 0 });
  });

  it('answers one page at a time, first seen first', async () => {
    const { portal } = await fleetPortal();
    const page = (await admin(portal, 'GET', '/devices?limit=10&offset=10')).body as FleetAnswer;
    expect(hostnames(page)).toEqual(Array.from({ length: 10 }, (_, i) => `MAC-${10 + i}`));
    expect(page).toMatchObject({ total: 30, offset: 10 });
    const last = (await admin(portal, 'GET', '/devices?limit=10&offset=25')).body as FleetAnswer;
    expect(hostnames(last)).toEqual(['MAC-25', 'MAC-26', 'MAC-27', 'MAC-28', 'MAC-29']);
    const past = (await admin(portal, 'GET', '/devices?limit=10&offset=40')).body as FleetAnswer;
    expect(past).toMatchObject({ devices: [], total: 30 });
  });

  it('filters by phase, keeping the counts of the other phases for the same filters', async () => {
    const { portal } = await fleetPortal();
    const answer = (await admin(portal, 'GET', '/devices?phase=downloading')).body as FleetAnswer;
    const downloading = ['MAC-04', 'MAC-08', 'MAC-12', 'MAC-16', 'MAC-24', 'MAC-28'];
    expect(hostnames(answer)).toEqual(downloading);
    expect(answer.total).toBe(6);
    expect(answer.phaseCounts).toMatchObject({ downloading: 6, registered: 6, idle: 18 });
    expect(answer.devices.every((d) => d.phase === 'downloading')).toBe(true);
  });

  it('filters by group, golden image and a part of the hostname in any case', async () => {
    const { portal } = await fleetPortal();
    const finance = (await admin(portal, 'GET', '/devices?group=finance')).body as FleetAnswer;
    expect(finance.total).toBe(10);
    expect(finance.devices.every((d) => d.groupId === 'finance')).toBe(true);
    // Finance is i % 3 === 1: registered 10 and 25, downloading 4, 16 and 28.
    expect(finance.phaseCounts).toMatchObject({ registered: 2, downloading: 3, idle: 5 });

    // Idle engineering Macs take their group's image; busy ones the image their events name.
    const assigned = (await admin(portal, 'GET', '/devices?goldenImage=win11-dev')).body;
    expect(hostnames(assigned)).toEqual([
      'MAC-03',
      'MAC-06',
      'MAC-09',
      'MAC-18',
      'MAC-21',
      'MAC-27',
    ]);
    const fromEvents = (await admin(portal, 'GET', '/devices?goldenImage=image-1')).body;
    expect(hostnames(fromEvents)).toEqual(['MAC-05', 'MAC-15', 'MAC-25']);

    const search = (await admin(portal, 'GET', '/devices?search=mac-2&limit=3')).body;
    expect(hostnames(search)).toEqual(['MAC-20', 'MAC-21', 'MAC-22']);
    expect(search.total).toBe(10);
  });

  it.each([
    'limit=0',
    'limit=1001',
    'limit=ten',
    'offset=-1',
    'offset=1.5',
    'phase=sleeping',
    'search=',
    'colour=blue',
  ])('refuses ?%s with 400 BAD_REQUEST naming it', async (query) => {
    const { portal } = await fleetPortal();
    const answer = await admin(portal, 'GET', `/devices?${query}`);
    expectError(answer, 400, 'BAD_REQUEST');
    expect(answer.body.error.message).toContain(
      query.split('=')[0] === 'colour' ? 'colour' : query.split('=')[0],
    );
  });
});

describe('GET /api/v1/admin/events, paged', () => {
  it('answers the newest events page by page, oldest first, with their number', async () => {
    const { portal } = await fleetPortal();
    const all = (await admin(portal, 'GET', '/events')).body as FleetEventsAnswer;
    expect(all.total).toBe(all.events.length);
    const newest = (await admin(portal, 'GET', '/events?limit=4')).body as FleetEventsAnswer;
    expect(newest.events).toEqual(all.events.slice(-4));
    const before = (await admin(portal, 'GET', '/events?limit=4&offset=4')).body;
    expect(before.events).toEqual(all.events.slice(-8, -4));
    const beyond = (await admin(portal, 'GET', `/events?offset=${all.total}`)).body;
    expect(beyond).toEqual({ events: [], total: all.total });
    expectError(await admin(portal, 'GET', '/events?offset=x'), 400, 'BAD_REQUEST');
  });
});
