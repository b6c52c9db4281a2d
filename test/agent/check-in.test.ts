import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openAgentStore, type AgentStore } from '../../electron/agent/agent-store.ts';
import { checkInAndCache } from '../../electron/agent/check-in.ts';
import { loadIdentity, type AgentIdentity } from '../../electron/agent/identity.ts';
import { PortalClient } from '../../electron/agent/portal-client.ts';
import { FakePortal, samplePolicy } from '../helpers/fake-portal.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs();
const KEY = 'LIC-0001-ABCD';
const HEX = 'ab'.repeat(32);

let portal: FakePortal;
let store: AgentStore;
let identity: AgentIdentity;
let client: PortalClient;

beforeEach(async () => {
  portal = await FakePortal.start();
  store = openAgentStore(await tempDir());
  identity = loadIdentity(store);
  client = new PortalClient({ portalUrl: portal.url, retries: 0 });
});
afterEach(async () => {
  await portal.down();
});

function at(iso: string): () => Date {
  return () => new Date(iso);
}

describe('checkInAndCache', () => {
  it('caches a new policy and stamps the times', async () => {
    portal.checkInIntervalSec = 120;
    const outcome = await checkInAndCache({
      store,
      client,
      identity,
      licenseKey: KEY,
      portalUrl: portal.url,
      now: at('2025-03-01T10:00:00.000Z'),
    });
    expect(outcome).toMatchObject({ changed: true, checkInIntervalSec: 120 });
    expect(outcome.policy.goldenImage?.sha256).toBe('a'.repeat(64));
    expect(store.get('policyCache')).toMatchObject({
      portalUrl: portal.url,
      licenseKey: KEY,
      checkInIntervalSec: 120,
    });
    expect(store.get('policiesReceivedAt')).toBe('2025-03-01T10:00:00.000Z');
    expect(store.get('lastConnectedAt')).toBe('2025-03-01T10:00:00.000Z');
    expect(portal.checkIns[0]?.body).toEqual({
      licenseKey: KEY,
      deviceId: identity.deviceId,
      hostname: identity.hostname,
      serialNumber: identity.serialNumber,
      arch: identity.arch,
      agentVersion: identity.agentVersion,
    });
  });

  it('revalidates with If-None-Match and uses the cache on 304', async () => {
    const options = { store, client, identity, licenseKey: KEY, portalUrl: portal.url };
    await checkInAndCache({ ...options, now: at('2025-03-01T10:00:00.000Z') });
    const etag = store.get('policyCache')?.etag;
    const second = await checkInAndCache({ ...options, now: at('2025-03-01T11:00:00.000Z') });
    expect(second.changed).toBe(false);
    expect(second.policy.id).toBe('policy-1');
    expect(second.checkInIntervalSec).toBe(300);
    expect(portal.checkIns[1]?.ifNoneMatch).toBe(etag);
    expect(store.get('lastConnectedAt')).toBe('2025-03-01T11:00:00.000Z');
    expect(store.get('policiesReceivedAt')).toBe('2025-03-01T10:00:00.000Z');
  });

  it('fetches again when the portal changes the policy', async () => {
    const options = { store, client, identity, licenseKey: KEY, portalUrl: portal.url };
    await checkInAndCache(options);
    portal.policy = samplePolicy({ revision: 2 });
    const next = await checkInAndCache(options);
    expect(next).toMatchObject({ changed: true, policy: { revision: 2 } });
    expect(store.get('policyCache')?.policy.revision).toBe(2);
  });

  it('does not revalidate a cache made for another license key', async () => {
    await checkInAndCache({ store, client, identity, licenseKey: KEY, portalUrl: portal.url });
    await checkInAndCache({
      store,
      client,
      identity,
      licenseKey: 'OTHER-KEY',
      portalUrl: portal.url,
    });
    expect(portal.checkIns[1]?.ifNoneMatch).toBeUndefined();
    expect(store.get('policyCache')?.licenseKey).toBe('OTHER-KEY');
  });

  it('treats a trailing slash as the same portal', async () => {
    await checkInAndCache({ store, client, identity, licenseKey: KEY, portalUrl: portal.url });
    await checkInAndCache({
      store,
      client,
      identity,
      licenseKey: KEY,
      portalUrl: `${portal.url}/`,
    });
    expect(portal.checkIns[1]?.ifNoneMatch).toBeDefined();
  });

  it('refuses a 304 when nothing was cached', async () => {
    portal.respondNext('checkin', { status: 304 });
    await expect(
      checkInAndCache({ store, client, identity, licenseKey: KEY, portalUrl: portal.url }),
    ).rejects.toMatchObject({ code: 'POLICY_INVALID' });
  });

  it('reports a policy with a bad checksum as POLICY_INVALID but records the contact', async () => {
    const policy = samplePolicy();
    policy.goldenImage!.sha256 = 'not-a-checksum';
    portal.policy = policy;
    await expect(
      checkInAndCache({ store, client, identity, licenseKey: KEY, portalUrl: portal.url }),
    ).rejects.toMatchObject({ code: 'POLICY_INVALID' });
    expect(store.get('lastConnectedAt')).toBeDefined();
  });

  it('normalises a pasted checksum in the result', async () => {
    const policy = samplePolicy();
    policy.goldenImage!.sha256 = `${HEX.toUpperCase()}  image.pvmp`;
    portal.policy = policy;
    const outcome = await checkInAndCache({
      store,
      client,
      identity,
      licenseKey: KEY,
      portalUrl: portal.url,
    });
    expect(outcome.policy.goldenImage?.sha256).toBe(HEX);
  });

  it('leaves the store alone when the license is refused', async () => {
    portal.licenses.set(KEY, 'revoked');
    await expect(
      checkInAndCache({ store, client, identity, licenseKey: KEY, portalUrl: portal.url }),
    ).rejects.toMatchObject({ code: 'LICENSE_REVOKED' });
    expect(store.get('lastConnectedAt')).toBeUndefined();
    expect(store.get('policyCache')).toBeUndefined();
  });
});
