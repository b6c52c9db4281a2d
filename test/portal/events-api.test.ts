import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PortalState } from '../../electron/portal/portal-state.ts';
import type { AgentEvent } from '../../shared/protocol.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';
import { sampleOrg, usePortals } from './portal-fixtures.ts';

const tempDir = useTempDirs();
const startPortal = usePortals();

function event(type: AgentEvent['type'], at: string, extra: Record<string, unknown> = {}) {
  return { id: randomUUID(), type, at, ...extra };
}

function postEvents(url: string, deviceId: string, body: unknown) {
  return fetch(`${url}/api/v1/devices/${deviceId}/events`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
}

describe('POST /api/v1/devices/:deviceId/events', () => {
  it('accepts a batch once: the same batch again counts 0 and is not stored twice', async () => {
    const portal = await startPortal({ dataDir: await tempDir(), org: sampleOrg() });
    const deviceId = randomUUID();
    const batch = {
      events: [
        event('download-started', '2025-03-01T10:00:00.000Z', { goldenImageId: 'win11-dev' }),
        event('download-progress', '2025-03-01T10:00:05.000Z', { bytes: 1024 }),
      ],
    };
    const first = await postEvents(portal.url, deviceId, batch);
    expect(first.status).toBe(202);
    expect(await first.json()).toEqual({ accepted: 2 });
    const second = await postEvents(portal.url, deviceId, batch);
    expect(await second.json()).toEqual({ accepted: 0 });
    expect(portal.state.events({ deviceId })).toHaveLength(2);
  });

  it('counts only the new events of a batch that repeats some', async () => {
    const portal = await startPortal({ dataDir: await tempDir(), org: sampleOrg() });
    const deviceId = randomUUID();
    const old = event('verified', '2025-03-01T10:00:00.000Z');
    await postEvents(portal.url, deviceId, { events: [old] });
    const fresh = event('registered', '2025-03-01T10:01:00.000Z');
    const res = await postEvents(portal.url, deviceId, { events: [old, fresh, fresh] });
    expect(await res.json()).toEqual({ accepted: 1 });
  });

  it('shows the device with its last phase, creating a record for an unknown device', async () => {
    const portal = await startPortal({ dataDir: await tempDir(), org: sampleOrg() });
    const deviceId = randomUUID();
    await postEvents(portal.url, deviceId, {
      events: [
        event('download-finished', '2025-03-01T10:00:00.000Z'),
        event('verified', '2025-03-01T10:00:09.000Z'),
      ],
    });
    const { devices } = (await (await fetch(`${portal.url}/api/v1/devices`)).json()) as {
      devices: Record<string, unknown>[];
    };
    expect(devices).toEqual([
      expect.objectContaining({
        id: deviceId,
        hostname: null,
        lastCheckInAt: null,
        lastPhase: 'verified',
        lastEventAt: '2025-03-01T10:00:09.000Z',
      }),
    ]);
  });

  it('lists events newest last, filtered by device and type, with their details', async () => {
    const portal = await startPortal({ dataDir: await tempDir(), org: sampleOrg() });
    const [a, b] = [randomUUID(), randomUUID()];
    await postEvents(portal.url, a, { events: [event('accepted', '2025-03-01T10:00:00.000Z')] });
    await postEvents(portal.url, b, { events: [event('declined', '2025-03-01T10:00:01.000Z')] });
    await postEvents(portal.url, a, {
      events: [event('download-failed', '2025-03-01T10:00:02.000Z', { code: 'DOWNLOAD_FAILED' })],
    });

    const all = (await (await fetch(`${portal.url}/api/v1/events`)).json()) as {
      events: { type: string; deviceId: string }[];
    };
    expect(all.events.map((e) => e.type)).toEqual(['accepted', 'declined', 'download-failed']);

    const mine = (await (await fetch(`${portal.url}/api/v1/events?deviceId=${a}`)).json()) as {
      events: { type: string }[];
    };
    expect(mine.events.map((e) => e.type)).toEqual(['accepted', 'download-failed']);

    const failed = (await (
      await fetch(`${portal.url}/api/v1/events?type=download-failed`)
    ).json()) as { events: Record<string, unknown>[] };
    expect(failed.events).toEqual([
      expect.objectContaining({
        deviceId: a,
        code: 'DOWNLOAD_FAILED',
        receivedAt: expect.any(String),
      }),
    ]);
  });

  it('answers 400 for a batch that breaks the schema and stores nothing', async () => {
    const portal = await startPortal({ dataDir: await tempDir(), org: sampleOrg() });
    const deviceId = randomUUID();
    for (const body of [
      { events: [] },
      { events: [{ id: 'not-a-uuid', type: 'verified', at: '2025-03-01T10:00:00.000Z' }] },
      { events: [event('teleported' as AgentEvent['type'], '2025-03-01T10:00:00.000Z')] },
    ]) {
      const res = await postEvents(portal.url, deviceId, body);
      expect(res.status).toBe(400);
      expect(((await res.json()) as { error: { code: string } }).error.code).toBe('BAD_REQUEST');
    }
    expect(portal.state.events()).toEqual([]);
    expect(portal.state.devices()).toEqual([]);
  });

  it('answers 400 for a device id that is not a UUID', async () => {
    const portal = await startPortal({ dataDir: await tempDir(), org: sampleOrg() });
    const res = await postEvents(portal.url, 'mac-17', {
      events: [event('verified', '2025-03-01T10:00:00.000Z')],
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { message: string } }).error.message).toMatch(
      /device id/,
    );
  });

  it('answers 400 for a repeated query parameter', async () => {
    const portal = await startPortal({ dataDir: await tempDir(), org: sampleOrg() });
    const res = await fetch(`${portal.url}/api/v1/events?type=verified&type=registered`);
    expect(res.status).toBe(400);
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
