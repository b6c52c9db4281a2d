import { describe, expect, it } from 'vitest';
import type { PortalLimits } from '../../electron/portal/server.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';
import { checkInBody, checkInFrom } from './client-fixtures.ts';
import { sampleOrg, usePortals } from './portal-fixtures.ts';

const tempDir = useTempDirs();
const startPortal = usePortals();
const HERE = '127.0.0.1';

async function throttledPortal(refusedCheckIns = { max: 3, windowMs: 60_000 }) {
  const limits: PortalLimits = { refusedCheckIns };
  return startPortal({ dataDir: await tempDir(), org: sampleOrg(), limits });
}

// A guess of a license key: a new device id with a key the organisation refuses.
const guess = (licenseKey = 'NOT-A-KEY') => checkInBody({ licenseKey });

async function refuseAll(url: string, count: number, from = HERE) {
  const statuses: number[] = [];
  for (let i = 0; i < count; i += 1) statuses.push((await checkInFrom(url, from, guess())).status);
  return statuses;
}

describe('the refused check-in throttle', () => {
  it('answers 429 CHECK_IN_THROTTLED with Retry-After once an address used up its refusals', async () => {
    const portal = await throttledPortal();
    expect(await refuseAll(portal.url, 3)).toEqual([401, 401, 401]);
    const expired = await checkInFrom(portal.url, HERE, guess('ACME-OLD-0004'));
    expect(expired).toMatchObject({ status: 429, code: 'CHECK_IN_THROTTLED' });
    expect(Number(expired.retryAfter)).toBeGreaterThan(50);
    expect(Number(expired.retryAfter)).toBeLessThanOrEqual(60);
    expect(portal.state.devices()).toEqual([]);
  });

  it('counts expired and revoked keys as refusals too', async () => {
    const portal = await throttledPortal();
    for (const key of ['ACME-OLD-0004', 'ACME-REV-0005', 'NOT-A-KEY']) {
      expect((await checkInFrom(portal.url, HERE, guess(key))).status).not.toBe(429);
    }
    expect((await checkInFrom(portal.url, HERE, guess())).status).toBe(429);
  });

  it('never counts accepted check-ins: a fleet of new Macs behind one address all get in', async () => {
    const portal = await throttledPortal();
    const fleet = Array.from({ length: 300 }, () => checkInBody());
    const answers = await Promise.all(fleet.map((body) => checkInFrom(portal.url, HERE, body)));
    expect(answers.every((answer) => answer.status === 200)).toBe(true);
    expect(portal.state.devices()).toHaveLength(300);
    expect(await refuseAll(portal.url, 4)).toEqual([401, 401, 401, 429]);
  });

  it('keeps answering Macs it knows, at a high rate, while their address is throttled', async () => {
    const portal = await throttledPortal();
    const office = Array.from({ length: 40 }, () => checkInBody());
    for (const body of office) expect((await checkInFrom(portal.url, HERE, body)).status).toBe(200);
    await refuseAll(portal.url, 4);
    const rounds = [1, 2, 3, 4, 5].flatMap(() => office);
    const answers = await Promise.all(rounds.map((body) => checkInFrom(portal.url, HERE, body)));
    expect(answers.map((answer) => answer.status)).toEqual(rounds.map(() => 200));
  });

  it('makes a Mac it does not know yet wait, even with a good key, until the window ends', async () => {
    const portal = await throttledPortal({ max: 2, windowMs: 1_500 });
    await refuseAll(portal.url, 3);
    // Answering it would tell a guesser which of its guesses is right.
    const newcomer = checkInBody();
    expect(await checkInFrom(portal.url, HERE, newcomer)).toMatchObject({ status: 429 });
    await new Promise((resolve) => setTimeout(resolve, 1_600));
    expect(await checkInFrom(portal.url, HERE, newcomer)).toMatchObject({ status: 200 });
    expect(await refuseAll(portal.url, 3)).toEqual([401, 401, 429]);
  });

  it('throttles each client address on its own', async () => {
    const portal = await throttledPortal();
    await refuseAll(portal.url, 4);
    expect(await refuseAll(portal.url, 4, '127.0.0.2')).toEqual([401, 401, 401, 429]);
    expect((await checkInFrom(portal.url, '127.0.0.3', checkInBody())).status).toBe(200);
  });

  it('answers a known Mac whose own key was revoked with 403, never counted or throttled', async () => {
    const portal = await throttledPortal({ max: 1, windowMs: 60_000 });
    const mac = checkInBody({ licenseKey: 'ACME-FIN-0003' });
    expect((await checkInFrom(portal.url, HERE, mac)).status).toBe(200);
    const org = sampleOrg();
    const revoke = (k: (typeof org.licenseKeys)[number]) =>
      k.key === mac.licenseKey ? { ...k, state: 'revoked' as const } : k;
    portal.setOrg({ ...org, licenseKeys: org.licenseKeys.map(revoke) });
    for (let i = 0; i < 3; i += 1) {
      expect(await checkInFrom(portal.url, HERE, mac)).toMatchObject({
        status: 403,
        code: 'LICENSE_REVOKED',
      });
    }
    expect(await refuseAll(portal.url, 2)).toEqual([401, 429]);
    expect(portal.state.device(mac.deviceId)).toMatchObject({
      lastCheckInError: 'LICENSE_REVOKED',
      policyId: null,
    });
  });

  it.each([
    [{ max: 0, windowMs: 1000 }, /refusedCheckIns\.max/],
    [{ max: 1.5, windowMs: 1000 }, /refusedCheckIns\.max/],
    [{ max: 5, windowMs: 0 }, /refusedCheckIns\.windowMs/],
  ])('refuses the limit %j, naming the option', async (refusedCheckIns, named) => {
    const options = { dataDir: await tempDir(), org: sampleOrg(), limits: { refusedCheckIns } };
    await expect(startPortal(options)).rejects.toThrow(named);
  });
});
