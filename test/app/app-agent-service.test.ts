import { afterEach, describe, expect, it } from 'vitest';
import type { AgentConfig } from '../../electron/agent/agent-config.ts';
import { AgentService } from '../../electron/agent/agent-service.ts';
import { openAgentStore } from '../../electron/agent/agent-store.ts';
import { loadIdentity } from '../../electron/agent/identity.ts';
import type { RunningPortal } from '../../electron/portal/server.ts';
import { KEYS, fixtureOrg } from '../helpers/portal-fixture.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';
import { admin, channelIs, retrievalIs, useFleetPortals } from '../portal/fleet/fleet-fixtures.ts';

const tempDir = useTempDirs();
const start = useFleetPortals();
const services: AgentService[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((service) => service.stop()));
});

/** The agent service as the app runs it: its config read from the settings before each check-in. */
async function startedService(portal: RunningPortal, settings: { licenseKey: string }) {
  const home = await tempDir();
  let checkIns = 0;
  let firstCheckIn!: () => void;
  const checkedIn = new Promise<void>((resolve) => (firstCheckIn = resolve));
  const config = async (): Promise<AgentConfig> => ({
    portalUrl: portal.url,
    arch: 'arm64',
    ...settings,
  });
  const done = () => {
    checkIns += 1;
    firstCheckIn();
  };
  const service = new AgentService({ home, config, onCheckIn: done, onError: done });
  services.push(service);
  service.start();
  await checkedIn;
  const deviceId = loadIdentity(openAgentStore(home)).deviceId;
  return { service, deviceId, checkIns: () => checkIns };
}

describe("the app's agent service", () => {
  it('keeps a retrieval channel open: an admin request makes it check in and ack at once', async () => {
    const portal = await start(await tempDir(), fixtureOrg({}));
    const app = await startedService(portal, { licenseKey: KEYS.eng });
    expect(app.service.lastError).toBeUndefined();
    await channelIs(portal, app.deviceId, true);
    const asked = await admin(portal, 'POST', '/devices/retrieve-policy', {
      deviceIds: [app.deviceId],
    });
    expect(asked.body.results[0].state).toBe('pending');
    await retrievalIs(portal, app.deviceId, 'retrieved');
    expect(app.checkIns()).toBeGreaterThanOrEqual(2);
  });

  it('hangs up the channel when the app stops the service', async () => {
    const portal = await start(await tempDir(), fixtureOrg({}));
    const app = await startedService(portal, { licenseKey: KEYS.eng });
    await channelIs(portal, app.deviceId, true);
    await app.service.stop();
    await channelIs(portal, app.deviceId, false);
    const asked = await admin(portal, 'POST', '/devices/retrieve-policy', {
      deviceIds: [app.deviceId],
    });
    expect(asked.body.results[0].state).toBe('offline');
  });

  it('follows a changed setting at the next check-in, and keeps the last error until then', async () => {
    const portal = await start(await tempDir(), fixtureOrg({}));
    const settings = { licenseKey: 'ACME-NOPE-0000' };
    const app = await startedService(portal, settings);
    expect(app.service.lastError).toMatchObject({ code: 'LICENSE_UNKNOWN' });
    await expect(app.service.checkInNow()).rejects.toMatchObject({ code: 'LICENSE_UNKNOWN' });
    settings.licenseKey = KEYS.eng;
    expect(await app.service.checkInNow()).toMatchObject({ changed: true });
    expect(app.service.lastError).toBeUndefined();
    expect(portal.state.devices()).toHaveLength(1);
  });
});
