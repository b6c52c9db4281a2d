import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { Outbox } from '../../electron/agent/outbox.ts';
import { PortalClient } from '../../electron/agent/portal-client.ts';
import { startPortal, type RunningPortal } from '../../electron/portal/server.ts';
import { sampleCheckInRequest } from '../helpers/fake-portal.ts';
import { KEYS, fixtureOrg } from '../helpers/portal-fixture.ts';
import { eventFields } from '../helpers/sample-events.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs();
const running: RunningPortal[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((portal) => portal.close()));
});

async function setup() {
  const portal = await startPortal({ dataDir: await tempDir(), org: fixtureOrg({}) });
  running.push(portal);
  const client = new PortalClient({ portalUrl: portal.url, retries: 0 });
  const deviceId = randomUUID();
  const checkIn = (licenseKey: string) =>
    client.checkIn({ ...sampleCheckInRequest, deviceId, licenseKey });
  const outbox = async (licenseKey: string) =>
    new Outbox({ home: await tempDir(), deviceId, licenseKey, client });
  return { portal, deviceId, checkIn, outbox };
}

describe("the agent's events at the portal", () => {
  it('wait in the outbox until the Mac has checked in, then arrive once', async () => {
    const { portal, deviceId, checkIn, outbox } = await setup();
    const queued = await outbox(KEYS.eng);
    const ids = (['invited', 'accepted', 'download-started'] as const).map(
      (type) => queued.record(type, eventFields(type)).id,
    );
    expect(await queued.flush()).toEqual({ delivered: 0, pending: 3 });
    expect(portal.state.events()).toEqual([]);

    await checkIn(KEYS.eng);
    expect(await queued.flush()).toEqual({ delivered: 3, pending: 0 });
    expect(portal.state.events({ deviceId }).map((e) => e.id)).toEqual(ids);
    expect(portal.state.device(deviceId)).toMatchObject({ lastPhase: 'download-started' });
  });

  it('are kept while the outbox holds another key than the Mac checked in with', async () => {
    const { portal, checkIn, outbox } = await setup();
    await checkIn(KEYS.eng);
    const stale = await outbox(KEYS.primary);
    stale.record('checked-in', eventFields('checked-in'));
    expect(await stale.flush()).toEqual({ delivered: 0, pending: 1 });
    expect(portal.state.events()).toEqual([]);
    // After a check-in with that key, the same events go through.
    await checkIn(KEYS.primary);
    expect(await stale.flush()).toEqual({ delivered: 1, pending: 0 });
  });
});
