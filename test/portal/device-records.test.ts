import { describe, expect, it } from 'vitest';
import { PortalState } from '../../electron/portal/portal-state.ts';
import { emptyDevice } from '../../electron/portal/device-record.ts';
import { ERROR_SENTENCES } from '../../shared/codes.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';
import { checkInBody, enrol, post, postEvents } from './client-fixtures.ts';
import { sampleEvent } from '../helpers/sample-events.ts';
import { sampleOrg, usePortals } from './portal-fixtures.ts';

const tempDir = useTempDirs();
const startPortal = usePortals();

const event = () => sampleEvent('verified', { at: '2025-03-01T10:00:00.000Z' });

describe('device records', () => {
  it.each(['NOT-A-KEY', 'ACME-OLD-0004', 'ACME-REV-0005'])(
    'are not made by check-ins refused for %s',
    async (licenseKey) => {
      const portal = await startPortal({ dataDir: await tempDir(), org: sampleOrg() });
      for (let i = 0; i < 10; i += 1) {
        const res = await post(`${portal.url}/api/v1/checkin`, checkInBody({ licenseKey }));
        expect(res.status).toBeGreaterThanOrEqual(401);
      }
      expect(portal.state.devices()).toEqual([]);
    },
  );

  it("are not touched by a refused key sent with a known Mac's id", async () => {
    const portal = await startPortal({ dataDir: await tempDir(), org: sampleOrg() });
    const deviceId = await enrol(portal.url);
    const before = portal.state.device(deviceId);
    const forged = checkInBody({ deviceId, licenseKey: 'ACME-REV-0005', hostname: 'evil' });
    expect((await post(`${portal.url}/api/v1/checkin`, forged)).status).toBe(403);
    expect(portal.state.device(deviceId)).toEqual(before);
    // Its events still go through with its own key: the forged check-in locked nothing out.
    expect((await postEvents(portal.url, deviceId, 'ACME-ENG-0002', [event()])).status).toBe(202);
  });

  it('stop at the cap: a new Mac is refused with 403 DEVICE_LIMIT_REACHED, known ones stay', async () => {
    const limits = { maxDevices: 2 };
    const portal = await startPortal({ dataDir: await tempDir(), org: sampleOrg(), limits });
    const [a, b] = [checkInBody(), checkInBody({ licenseKey: 'ACME-FIN-0003' })];
    for (const body of [a, b]) {
      expect((await post(`${portal.url}/api/v1/checkin`, body)).status).toBe(200);
    }
    const third = await post(`${portal.url}/api/v1/checkin`, checkInBody());
    expect(third.status).toBe(403);
    expect(await third.json()).toEqual({
      error: { code: 'DEVICE_LIMIT_REACHED', message: ERROR_SENTENCES.DEVICE_LIMIT_REACHED },
    });
    expect(portal.state.devices().map((d) => d.id)).toEqual([a.deviceId, b.deviceId]);
    for (const body of [a, b, a]) {
      expect((await post(`${portal.url}/api/v1/checkin`, body)).status).toBe(200);
    }
  });

  it('keep a persistent portal at its cap across a restart', async () => {
    const dataDir = await tempDir();
    const options = { dataDir, org: sampleOrg(), persist: true, limits: { maxDevices: 1 } };
    const first = await startPortal(options);
    const known = checkInBody();
    expect((await post(`${first.url}/api/v1/checkin`, known)).status).toBe(200);
    await first.close();
    const second = await startPortal(options);
    expect((await post(`${second.url}/api/v1/checkin`, checkInBody())).status).toBe(403);
    expect((await post(`${second.url}/api/v1/checkin`, known)).status).toBe(200);
  });
});

describe('PortalState device cap', () => {
  it('keeps every saved device past a lowered cap and takes no new one', () => {
    const state = new PortalState({ maxDevices: 1 });
    state.restore({ devices: [emptyDevice('a'), emptyDevice('b')], events: [] });
    const seen = {
      hostname: 'h',
      serialNumber: null,
      arch: 'arm64',
      licenseKey: 'K',
      group: null,
    } as const;
    const checkIn = { ...seen, agentVersion: '1', lastCheckInError: null };
    expect(state.recordCheckIn({ id: 'c', ...checkIn })).toBe(false);
    expect(state.recordCheckIn({ id: 'a', ...checkIn })).toBe(true);
    expect(state.devices().map((d) => d.id)).toEqual(['a', 'b']);
  });

  it('records events of an unknown device without making a record for it', () => {
    const state = new PortalState();
    expect(state.recordEvents('stranger', [event() as never])).toBe(1);
    expect(state.devices()).toEqual([]);
  });
});
