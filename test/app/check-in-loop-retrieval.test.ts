import { afterEach, describe, expect, it } from 'vitest';
import { openAgentStore } from '../../electron/agent/agent-store.ts';
import { loadIdentity } from '../../electron/agent/identity.ts';
import { CheckInLoop } from '../../electron/app/check-in-loop.ts';
import type { RunningPortal } from '../../electron/portal/server.ts';
import { KEYS, fixtureOrg } from '../helpers/portal-fixture.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';
import { admin, channelIs, retrievalIs, useFleetPortals } from '../portal/fleet/fleet-fixtures.ts';

const tempDir = useTempDirs();
const start = useFleetPortals();
const loops: CheckInLoop[] = [];
afterEach(async () => {
  await Promise.all(loops.splice(0).map((loop) => loop.stop()));
});

/** The app's check-in loop against a portal, after its first check-in. */
async function startedLoop(portal: RunningPortal) {
  const home = await tempDir();
  let changes = 0;
  let firstChange!: () => void;
  const checkedIn = new Promise<void>((resolve) => (firstChange = resolve));
  const loop = new CheckInLoop({
    home,
    target: async () => ({ portalUrl: portal.url, licenseKey: KEYS.eng, arch: 'arm64' }),
    onChange: () => {
      changes += 1;
      firstChange();
    },
  });
  loops.push(loop);
  loop.start();
  await checkedIn;
  expect(loop.lastError).toBeNull();
  const deviceId = loadIdentity(openAgentStore(home)).deviceId;
  return { loop, deviceId, changes: () => changes };
}

describe("the desktop app's check-in loop", () => {
  it('keeps a retrieval channel open: an admin request makes it check in and ack at once', async () => {
    const portal = await start(await tempDir(), fixtureOrg({}));
    const app = await startedLoop(portal);
    await channelIs(portal, app.deviceId, true);
    const asked = await admin(portal, 'POST', '/devices/retrieve-policy', {
      deviceIds: [app.deviceId],
    });
    expect(asked.body.results[0].state).toBe('pending');
    await retrievalIs(portal, app.deviceId, 'retrieved');
    expect(app.changes()).toBeGreaterThanOrEqual(2);
  });

  it('hangs up the channel when the app stops the loop', async () => {
    const portal = await start(await tempDir(), fixtureOrg({}));
    const app = await startedLoop(portal);
    await channelIs(portal, app.deviceId, true);
    await app.loop.stop();
    await channelIs(portal, app.deviceId, false);
    const asked = await admin(portal, 'POST', '/devices/retrieve-policy', {
      deviceIds: [app.deviceId],
    });
    expect(asked.body.results[0].state).toBe('offline');
  });
});
