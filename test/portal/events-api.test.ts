import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PortalState } from '../../electron/portal/portal-state.ts';
import type { AgentEventOf, AgentEventType } from '../../shared/protocol.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';
import { ADMIN_TOKEN, enrol, list, postEvents } from './client-fixtures.ts';
import { sampleEvent } from '../helpers/sample-events.ts';
import { sampleOrg, usePortals } from './portal-fixtures.ts';

const tempDir = useTempDirs();
const startPortal = usePortals();
const ENG = 'ACME-ENG-0002';

function event<T extends AgentEventType>(
  type: T,
  at: string,
  extra: Partial<AgentEventOf<T>> = {},
): AgentEventOf<T> {
  return sampleEvent(type, { at, ...extra });
}

async function portalWithToken() {
  return startPortal({ dataDir: await tempDir(), org: sampleOrg(), adminToken: ADMIN_TOKEN });
}

describe('POST /api/v1/devices/:deviceId/events', () => {
  it('accepts a batch once: the same batch again counts 0 and is not stored twice', async () => {
    const portal = await portalWithToken();
    const deviceId = await enrol(portal.url);
    const events = [
      event('download-started', '2025-03-01T10:00:00.000Z', { goldenImageId: 'win11-dev' }),
      event('download-progress', '2025-03-01T10:00:05.000Z', { transferred: 1024 }),
    ];
    const first = await postEvents(portal.url, deviceId, ENG, events);
    expect(first.status).toBe(202);
    expect(await first.json()).toEqual({ accepted: 2 });
    const second = await postEvents(portal.url, deviceId, ENG, events);
    expect(await second.json()).toEqual({ accepted: 0 });
    expect(portal.state.events({ deviceId })).toHaveLength(2);
  });

  it('counts only the new events of a batch that repeats some', async () => {
    const portal = await portalWithToken();
    const deviceId = await enrol(portal.url);
    const old = event('verified', '2025-03-01T10:00:00.000Z');
    await postEvents(portal.url, deviceId, ENG, [old]);
    const fresh = event('registered', '2025-03-01T10:01:00.000Z');
    const res = await postEvents(portal.url, deviceId, ENG, [old, fresh, fresh]);
    expect(await res.json()).toEqual({ accepted: 1 });
  });

  it("moves the device's last phase to the newest event of the batch", async () => {
    const portal = await portalWithToken();
    const deviceId = await enrol(portal.url);
    await postEvents(portal.url, deviceId, ENG, [
      event('download-finished', '2025-03-01T10:00:00.000Z'),
      event('verified', '2025-03-01T10:00:09.000Z'),
    ]);
    const { body } = await list(portal.url, '/devices');
    expect((body as { devices: unknown[] }).devices).toEqual([
      expect.objectContaining({
        id: deviceId,
        hostname: 'mac-17.acme.test',
        lastPhase: 'verified',
        lastEventAt: '2025-03-01T10:00:09.000Z',
      }),
    ]);
  });

  it('lists events newest last, filtered by device and type, with their details', async () => {
    const portal = await portalWithToken();
    const [a, b] = [await enrol(portal.url), await enrol(portal.url, 'ACME-FIN-0003')];
    await postEvents(portal.url, a, ENG, [event('accepted', '2025-03-01T10:00:00.000Z')]);
    await postEvents(portal.url, b, 'ACME-FIN-0003', [
      event('declined', '2025-03-01T10:00:01.000Z'),
    ]);
    await postEvents(portal.url, a, ENG, [
      event('download-failed', '2025-03-01T10:00:02.000Z', {
        error: { code: 'DOWNLOAD_FAILED', message: 'The download failed.' },
      }),
    ]);
    type Listed = { events: { type: string; deviceId: string }[] };
    const all = (await list(portal.url, '/events')).body as Listed;
    expect(all.events.map((e) => e.type)).toEqual(['accepted', 'declined', 'download-failed']);
    const mine = (await list(portal.url, `/events?deviceId=${a}`)).body as Listed;
    expect(mine.events.map((e) => e.type)).toEqual(['accepted', 'download-failed']);
    const failed = (await list(portal.url, '/events?type=download-failed')).body as Listed;
    expect(failed.events).toEqual([
      expect.objectContaining({
        deviceId: a,
        error: expect.objectContaining({ code: 'DOWNLOAD_FAILED' }),
        receivedAt: expect.any(String),
      }),
    ]);
  });

  it('answers 400 for a batch that breaks the schema and stores nothing', async () => {
    const portal = await portalWithToken();
    const deviceId = await enrol(portal.url);
    for (const events of [
      [],
      [{ id: 'not-a-uuid', type: 'verified', at: '2025-03-01T10:00:00.000Z' }],
      [{ id: randomUUID(), type: 'teleported', at: '2025-03-01T10:00:00.000Z' }],
      // A known type without the fields it carries: a registration naming no VM.
      [{ id: randomUUID(), type: 'registered', at: '2025-03-01T10:00:00.000Z' }],
    ]) {
      const res = await postEvents(portal.url, deviceId, ENG, events);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('BAD_REQUEST');
    }
    expect(portal.state.events()).toEqual([]);
  });

  it('answers 400 for a device id that is not a UUID', async () => {
    const portal = await portalWithToken();
    const res = await postEvents(portal.url, 'mac-17', ENG, [
      event('verified', '2025-03-01T10:00:00.000Z'),
    ]);
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      /device id/,
    );
  });

  it('answers 400 for a repeated query parameter', async () => {
    const portal = await portalWithToken();
    expect((await list(portal.url, '/events?type=verified&type=registered')).status).toBe(400);
  });
});

describe('PortalState', () => {
  it('keeps only the newest events past its limit and still ignores remembered ids', () => {
    const state = new PortalState({ maxEvents: 2 });
    const events = [1, 2, 3].map((n) => event('download-progress', `2025-03-01T10:00:0${n}.000Z`));
    expect(state.recordEvents('d', events)).toBe(3);
    expect(state.events().map((e) => e.at)).toEqual([events[1]!.at, events[2]!.at]);
    expect(state.recordEvents('d', [events[0]!])).toBe(0);
  });

  it('forgets the oldest event ids past its id limit', () => {
    const state = new PortalState({ maxRememberedEventIds: 2 });
    const events = [1, 2, 3].map((n) => event('verified', `2025-03-01T10:00:0${n}.000Z`));
    state.recordEvents('d', events);
    expect(state.recordEvents('d', [events[0]!])).toBe(1);
    expect(state.recordEvents('d', [events[2]!])).toBe(0);
  });
});
