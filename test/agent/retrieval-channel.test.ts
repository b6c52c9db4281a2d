import { afterEach, describe, expect, it } from 'vitest';
import { AgentService } from '../../electron/agent/agent-service.ts';
import { openAgentStore } from '../../electron/agent/agent-store.ts';
import { loadIdentity } from '../../electron/agent/identity.ts';
import { PortalClient } from '../../electron/agent/portal-client.ts';
import { RetrievalChannel } from '../../electron/agent/retrieval-channel.ts';
import type { CheckInOutcome } from '../../electron/agent/check-in.ts';
import { isProvisimError } from '../../shared/provisim-error.ts';
import { KEYS, fixtureOrg } from '../helpers/portal-fixture.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';
import {
  admin,
  channelIs,
  checkInAs,
  retrievalIs,
  useFleetPortals,
} from '../portal/fleet/fleet-fixtures.ts';

const tempDir = useTempDirs();
const start = useFleetPortals();
const services: AgentService[] = [];
afterEach(async () => {
  await Promise.all(services.splice(0).map((s) => s.stop()));
});

/** A running `provisim agent` service; resolves after its first check-in. */
async function runningAgent(portalUrl: string, onCheckIn: (o: CheckInOutcome) => void = () => {}) {
  const home = await tempDir();
  let firstCheckIn!: () => void;
  const checkedIn = new Promise<void>((resolve) => (firstCheckIn = resolve));
  let retrieved!: (id: string) => void;
  const retrieval = new Promise<string>((resolve) => (retrieved = resolve));
  const service = new AgentService({
    home,
    config: { portalUrl, licenseKey: KEYS.eng, arch: 'arm64' },
    onCheckIn: (outcome) => {
      onCheckIn(outcome);
      firstCheckIn();
    },
    onRetrieval: (id) => retrieved(id),
  });
  services.push(service);
  service.start();
  await checkedIn;
  const deviceId = loadIdentity(openAgentStore(home)).deviceId;
  return { service, deviceId, retrieval };
}

describe('policy retrieval on demand', () => {
  it('reaches a running agent within its long-poll: it checks in, acks, and the admin sees retrieved', async () => {
    const portal = await start(await tempDir(), fixtureOrg({}));
    let checkIns = 0;
    const agent = await runningAgent(portal.url, () => (checkIns += 1));
    await channelIs(portal, agent.deviceId, true);

    const asked = await admin(portal, 'POST', '/devices/retrieve-policy', {
      deviceIds: [agent.deviceId],
    });
    expect(asked.body.results).toEqual([{ deviceId: agent.deviceId, state: 'pending' }]);
    // The agent is told once the portal took its ack.
    const commandId = await agent.retrieval;
    expect(portal.fleet.board.retrieval(agent.deviceId)).toMatchObject({
      id: commandId,
      state: 'retrieved',
    });
    expect(checkIns).toBe(2);
    const fleet = await admin(portal, 'GET', '/devices');
    expect(fleet.body.devices[0]).toMatchObject({
      online: true,
      retrieval: { state: 'retrieved' },
    });
  });

  it('hangs up when the agent stops: the admin then sees the Mac offline', async () => {
    const portal = await start(await tempDir(), fixtureOrg({}));
    const agent = await runningAgent(portal.url);
    await channelIs(portal, agent.deviceId, true);
    await agent.service.stop();
    await channelIs(portal, agent.deviceId, false);
    const asked = await admin(portal, 'POST', '/devices/retrieve-policy', {
      deviceIds: [agent.deviceId],
    });
    expect(asked.body.results).toEqual([{ deviceId: agent.deviceId, state: 'offline' }]);
  });

  it('leaves a request not-responding while its check-in hangs, and retrieved once it acks', async () => {
    const portal = await start(await tempDir(), fixtureOrg({}), { timeoutMs: 30 });
    const client = new PortalClient({ portalUrl: portal.url, retries: 0 });
    const deviceId = await checkInAs(portal, KEYS.eng);
    let release!: () => void;
    const stuck = new Promise<void>((resolve) => (release = resolve));
    const channel = new RetrievalChannel({
      target: () => ({ client, deviceId, licenseKey: KEYS.eng }),
      retrieve: async () => {
        await stuck;
        await checkInAs(portal, KEYS.eng, deviceId);
      },
    });
    channel.start();
    await channelIs(portal, deviceId, true);
    await admin(portal, 'POST', '/devices/retrieve-policy', { deviceIds: [deviceId] });
    await retrievalIs(portal, deviceId, 'not-responding');
    release();
    await retrievalIs(portal, deviceId, 'retrieved');
    await channel.stop();
  });

  it('backs off and tries again when the portal refuses the license key', async () => {
    const portal = await start(await tempDir(), fixtureOrg({}));
    const client = new PortalClient({ portalUrl: portal.url, retries: 0 });
    const deviceId = await checkInAs(portal, KEYS.eng);
    const errors: unknown[] = [];
    let twice!: () => void;
    const failedTwice = new Promise<void>((resolve) => (twice = resolve));
    const channel = new RetrievalChannel({
      target: () => ({ client, deviceId, licenseKey: KEYS.revoked }),
      retrieve: async () => undefined,
      retryDelayMs: 1,
      onError: (error) => {
        errors.push(error);
        if (errors.length === 2) twice();
      },
    });
    channel.start();
    await failedTwice;
    await channel.stop();
    expect(isProvisimError(errors[0]) && errors[0].code).toBe('LICENSE_REVOKED');
    expect(channel.started).toBe(false);
  });

  it('names the option it cannot use', () => {
    const target = () => ({ client: {} as PortalClient, deviceId: 'x', licenseKey: 'y' });
    const retrieve = async () => undefined;
    expect(() => new RetrievalChannel({ target, retrieve, retryDelayMs: -1 })).toThrow(
      /retryDelayMs/,
    );
    expect(
      () => new RetrievalChannel({ target, retrieve, retryDelayMs: 10, maxRetryDelayMs: 5 }),
    ).toThrow(/maxRetryDelayMs/);
  });
});
