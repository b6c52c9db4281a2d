import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { PortalClient } from '../../electron/agent/portal-client.ts';
import {
  startPortal,
  type PortalOptions,
  type RunningPortal,
} from '../../electron/portal/server.ts';
import { ERROR_SENTENCES } from '../../shared/codes.ts';
import { FakePortal, sampleCheckInRequest } from '../helpers/fake-portal.ts';
import { KEYS, fixtureOrg } from '../helpers/portal-fixture.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs();
const running: { close(): Promise<void> }[] = [];
afterEach(async () => {
  await Promise.all(running.splice(0).map((server) => server.close()));
});

async function portal(extra: Partial<PortalOptions>): Promise<RunningPortal> {
  const started = await startPortal({ dataDir: await tempDir(), org: fixtureOrg({}), ...extra });
  running.push(started);
  return started;
}

const mac = (licenseKey: string) => ({
  ...sampleCheckInRequest,
  deviceId: randomUUID(),
  licenseKey,
});

async function failure(promise: Promise<unknown>) {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error as Record<string, unknown>,
  );
}

describe('a check-in the portal turns away', () => {
  it('is CHECK_IN_THROTTLED with the wait, once the network used up its refusals', async () => {
    const limits = { refusedCheckIns: { max: 2, windowMs: 120_000 } };
    const client = new PortalClient({ portalUrl: (await portal({ limits })).url });
    for (let i = 0; i < 2; i += 1) {
      expect(await failure(client.checkIn(mac('WRONG-KEY')))).toMatchObject({
        code: 'LICENSE_UNKNOWN',
      });
    }
    const error = await failure(client.checkIn(mac('WRONG-KEY')));
    expect(error).toMatchObject({
      code: 'CHECK_IN_THROTTLED',
      message: ERROR_SENTENCES.CHECK_IN_THROTTLED,
      retryable: true,
      details: { status: 429, retryAfterMs: expect.toSatisfy((ms: number) => ms > 100_000) },
    });
  });

  it('is DEVICE_LIMIT_REACHED when the portal holds as many Macs as it may', async () => {
    const client = new PortalClient({
      portalUrl: (await portal({ limits: { maxDevices: 1 } })).url,
    });
    expect(await client.checkIn(mac(KEYS.eng))).toMatchObject({ status: 'changed' });
    expect(await failure(client.checkIn(mac(KEYS.eng)))).toMatchObject({
      code: 'DEVICE_LIMIT_REACHED',
      message: ERROR_SENTENCES.DEVICE_LIMIT_REACHED,
      retryable: false,
    });
  });

  it('stays PORTAL_UNREACHABLE for a 429 or 403 that carries another code', async () => {
    const fake = await FakePortal.start();
    running.push({ close: () => fake.down() });
    const client = new PortalClient({ portalUrl: fake.url, retries: 0 });
    const busy = { error: { code: 'SLOW_DOWN', message: 'Busy.' } };
    fake.respondNext('checkin', { status: 429, body: busy, headers: { 'retry-after': '5' } });
    fake.respondNext('checkin', { status: 403, body: busy });
    for (const status of [429, 403]) {
      expect(await failure(client.checkIn(sampleCheckInRequest))).toMatchObject({
        code: 'PORTAL_UNREACHABLE',
        details: { status },
      });
    }
  });
});
