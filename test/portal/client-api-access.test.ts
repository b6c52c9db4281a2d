import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { ERROR_SENTENCES } from '../../shared/codes.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';
import { ADMIN_TOKEN, enrol, list, postEvents } from './client-fixtures.ts';
import { sampleOrg, usePortals } from './portal-fixtures.ts';

const tempDir = useTempDirs();
const startPortal = usePortals();

const registered = () => [
  {
    id: randomUUID(),
    type: 'registered',
    at: '2025-03-01T10:00:00.000Z',
    goldenImageId: 'win11-dev',
    vmUuid: randomUUID(),
    name: 'Not really a corporate VM',
  },
];

async function portalWithToken() {
  return startPortal({ dataDir: await tempDir(), org: sampleOrg(), adminToken: ADMIN_TOKEN });
}

describe("a device's events", () => {
  it.each([
    ['no license key', undefined],
    ['an empty license key', ''],
    ['a key that is not a string', 2],
    ['an unknown key', 'NOT-A-KEY'],
    ["another active key of the organisation, not the device's", 'ACME-FIN-0003'],
  ])('are refused with 401 DEVICE_KEY_MISMATCH for %s, and nothing is kept', async (_, key) => {
    const portal = await portalWithToken();
    const deviceId = await enrol(portal.url);
    const res = await postEvents(portal.url, deviceId, key, registered());
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({
      error: { code: 'DEVICE_KEY_MISMATCH', message: ERROR_SENTENCES.DEVICE_KEY_MISMATCH },
    });
    expect(portal.state.events()).toEqual([]);
    expect(portal.state.device(deviceId)).toMatchObject({ lastPhase: null, lastEventAt: null });
  });

  it('are refused for a device that never checked in, whatever the key, and make no record', async () => {
    const portal = await portalWithToken();
    const stranger = randomUUID();
    const res = await postEvents(portal.url, stranger, 'ACME-ENG-0002', registered());
    expect(res.status).toBe(401);
    expect(portal.state.devices()).toEqual([]);
    expect(portal.state.events()).toEqual([]);
  });

  it("cannot show a fake corporate VM on someone else's Mac in the fleet view", async () => {
    const portal = await portalWithToken();
    const victim = await enrol(portal.url);
    await enrol(portal.url, 'ACME-FIN-0003');
    expect((await postEvents(portal.url, victim, 'ACME-FIN-0003', registered())).status).toBe(401);
    const fleet = await fetch(`${portal.url}/api/v1/admin/devices`, {
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    });
    const { devices } = (await fleet.json()) as { devices: { deviceId: string }[] };
    expect(devices.find((d) => d.deviceId === victim)).toMatchObject({ corporateVms: [] });
  });

  it('are taken with the key the device was accepted with, even once that key is revoked', async () => {
    const portal = await portalWithToken();
    const deviceId = await enrol(portal.url);
    const org = sampleOrg();
    const licenseKeys = org.licenseKeys.map((k) =>
      k.key === 'ACME-ENG-0002' ? { ...k, state: 'revoked' as const } : k,
    );
    portal.setOrg({ ...org, licenseKeys });
    // The job under way when the key was revoked still tells the admin how it ended.
    const res = await postEvents(portal.url, deviceId, 'ACME-ENG-0002', registered());
    expect(res.status).toBe(202);
  });
});

describe('the device and event lists', () => {
  it.each(['/devices', '/events'])('%s answer only the admin token', async (path) => {
    const portal = await portalWithToken();
    await enrol(portal.url);
    const none = await fetch(`${portal.url}/api/v1${path}`);
    expect(none.status).toBe(401);
    expect(none.headers.get('www-authenticate')).toBe('Bearer realm="provisim-admin"');
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe('UNAUTHORIZED');
    const wrong = await list(portal.url, path, `Bearer ${ADMIN_TOKEN}x`);
    expect(wrong.status).toBe(401);
    const right = await list(portal.url, path);
    expect(right.status).toBe(200);
  });

  it.each(['/devices', '/events'])(
    '%s are off on a portal without an admin token',
    async (path) => {
      const portal = await startPortal({ dataDir: await tempDir(), org: sampleOrg() });
      const answer = await list(portal.url, path, 'Bearer anything');
      expect(answer.status).toBe(403);
      expect(answer.body).toMatchObject({ error: { code: 'FORBIDDEN' } });
    },
  );

  it('still mask license keys for the admin, as the fleet view does', async () => {
    const portal = await portalWithToken();
    await enrol(portal.url);
    const { body } = await list(portal.url, '/devices');
    expect(JSON.stringify(body)).not.toContain('ACME-ENG-0002');
    expect(body).toMatchObject({ devices: [{ licenseKey: '****0002' }] });
  });
});
