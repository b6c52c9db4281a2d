import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { RunningPortal } from '../../../electron/portal/server.ts';
import { useTempDirs } from '../../helpers/temp-dir.ts';
import { KEYS, fixtureOrg } from '../../helpers/portal-fixture.ts';
import {
  admin,
  channelIs,
  checkInAs,
  expectError,
  retrievalIs,
  useFleetPortals,
} from './fleet-fixtures.ts';

const tempDir = useTempDirs();
const start = useFleetPortals();

async function portalWith(fleet = {}) {
  return start(await tempDir(), fixtureOrg({}), fleet);
}

function commands(
  portal: RunningPortal,
  deviceId: string,
  key: string = KEYS.eng,
  signal?: AbortSignal,
) {
  const query = new URLSearchParams({ licenseKey: key });
  return fetch(`${portal.url}/api/v1/devices/${deviceId}/commands?${query}`, { signal });
}

function ack(portal: RunningPortal, deviceId: string, id: string, key: string = KEYS.eng) {
  const query = new URLSearchParams({ licenseKey: key });
  const url = `${portal.url}/api/v1/devices/${deviceId}/commands/${id}/ack?${query}`;
  return fetch(url, { method: 'POST' });
}

async function errorOf(res: Response) {
  return { status: res.status, body: await res.json() };
}

describe('the retrieval channel of the client API', () => {
  it('answers a long-poll with 204 when no command came within the wait', async () => {
    const portal = await portalWith({ waitMs: 20 });
    const deviceId = await checkInAs(portal, KEYS.eng);
    expect((await commands(portal, deviceId)).status).toBe(204);
  });

  it('hands a request to the open poll at once; the ack after a check-in makes it retrieved', async () => {
    const portal = await portalWith();
    const deviceId = await checkInAs(portal, KEYS.eng);
    const poll = commands(portal, deviceId);
    await channelIs(portal, deviceId, true);

    const asked = await admin(portal, 'POST', '/devices/retrieve-policy', {
      deviceIds: [deviceId],
    });
    expect(asked.body).toEqual({ results: [{ deviceId, state: 'pending' }] });
    const answer = await poll;
    expect(answer.status).toBe(200);
    const command = (await answer.json()) as { command: string; id: string };
    expect(command.command).toBe('retrieve-policy');

    expectError(await errorOf(await ack(portal, deviceId, command.id)), 409, 'CONFLICT');
    await checkInAs(portal, KEYS.eng, deviceId);
    expect((await ack(portal, deviceId, command.id)).status).toBe(204);
    const fleet = await admin(portal, 'GET', '/devices');
    expect(fleet.body.devices[0].retrieval).toMatchObject({ state: 'retrieved' });
  });

  it('queues a request made between two polls and hands it to the next one', async () => {
    const portal = await portalWith({ waitMs: 10, graceMs: 60_000 });
    const deviceId = await checkInAs(portal, KEYS.eng);
    expect((await commands(portal, deviceId)).status).toBe(204);
    const asked = await admin(portal, 'POST', '/devices/retrieve-policy', {
      deviceIds: [deviceId],
    });
    expect(asked.body.results[0].state).toBe('pending');
    const next = await commands(portal, deviceId);
    expect(await next.json()).toMatchObject({ command: 'retrieve-policy' });
  });

  it('turns a request whose ack never comes into not-responding; a late ack still counts', async () => {
    const portal = await portalWith({ timeoutMs: 30 });
    const deviceId = await checkInAs(portal, KEYS.eng);
    const poll = commands(portal, deviceId);
    await channelIs(portal, deviceId, true);
    await admin(portal, 'POST', '/devices/retrieve-policy', { deviceIds: [deviceId] });
    const { id } = (await (await poll).json()) as { id: string };
    await retrievalIs(portal, deviceId, 'not-responding');
    const fleet = await admin(portal, 'GET', '/devices');
    expect(fleet.body.devices[0].retrieval.state).toBe('not-responding');

    await checkInAs(portal, KEYS.eng, deviceId);
    expect((await ack(portal, deviceId, id)).status).toBe(204);
    expect(portal.fleet.board.retrieval(deviceId)?.state).toBe('retrieved');
  });

  it('closes the channel when the agent hangs up, and says offline for a Mac without one', async () => {
    const portal = await portalWith();
    const deviceId = await checkInAs(portal, KEYS.eng);
    const hangUp = new AbortController();
    const poll = commands(portal, deviceId, KEYS.eng, hangUp.signal).catch(() => undefined);
    await channelIs(portal, deviceId, true);
    hangUp.abort();
    await poll;
    await channelIs(portal, deviceId, false);
    const asked = await admin(portal, 'POST', '/devices/retrieve-policy', {
      deviceIds: [deviceId],
    });
    expect(asked.body.results).toEqual([{ deviceId, state: 'offline' }]);
  });

  it('refuses unknown, revoked and foreign license keys, bad ids and unknown commands', async () => {
    const portal = await portalWith();
    const deviceId = await checkInAs(portal, KEYS.eng);
    expectError(
      await errorOf(await commands(portal, deviceId, 'NOPE-0000-0000')),
      401,
      'LICENSE_UNKNOWN',
    );
    expectError(
      await errorOf(await commands(portal, deviceId, KEYS.revoked)),
      403,
      'LICENSE_REVOKED',
    );
    expectError(
      await errorOf(await commands(portal, deviceId, KEYS.expired)),
      403,
      'LICENSE_EXPIRED',
    );
    expectError(await errorOf(await commands(portal, deviceId, KEYS.strict)), 409, 'CONFLICT');
    expectError(await errorOf(await commands(portal, 'not-a-uuid')), 400, 'BAD_REQUEST');
    const noKey = await fetch(`${portal.url}/api/v1/devices/${deviceId}/commands`);
    expectError(await errorOf(noKey), 400, 'BAD_REQUEST');
    expectError(await errorOf(await ack(portal, deviceId, 'nothing')), 404, 'NOT_FOUND');
  });

  it('refuses retrieval for devices it never heard from, and a malformed request', async () => {
    const portal = await portalWith();
    const unknown = randomUUID();
    const refused = await admin(portal, 'POST', '/devices/retrieve-policy', {
      deviceIds: [unknown],
    });
    expectError(refused, 404, 'NOT_FOUND');
    expect(refused.body.error.message).toContain(unknown);
    expectError(
      await admin(portal, 'POST', '/devices/retrieve-policy', { deviceIds: [] }),
      400,
      'BAD_REQUEST',
    );
    expectError(await admin(portal, 'POST', '/devices/retrieve-policy', {}), 400, 'BAD_REQUEST');
  });
});
