import { describe, expect, it } from 'vitest';
import { openAgentStore } from '../../../electron/agent/agent-store.ts';
import { checkInAndCache } from '../../../electron/agent/check-in.ts';
import { loadIdentity } from '../../../electron/agent/identity.ts';
import { PortalClient } from '../../../electron/agent/portal-client.ts';
import { startPortal, type RunningPortal } from '../../../electron/portal/server.ts';
import { useAgentFixture } from '../../helpers/agent-fixture.ts';
import { KEYS, fixtureOrg, makeFixtureImage } from '../../helpers/portal-fixture.ts';
import { adminApi } from './admin-fixtures.ts';

const { tempDir, portals, run } = useAgentFixture();

async function persistentPortal(): Promise<{ portal: RunningPortal; dataDir: string }> {
  const dataDir = await tempDir();
  const portal = await startPortal({ dataDir, org: fixtureOrg({}), logger: false, persist: true });
  portals.push(portal);
  return { portal, dataDir };
}

/** A real agent's check-in (store, identity, client) for one license key. */
async function agent(portal: RunningPortal, licenseKey: string) {
  const store = openAgentStore(await tempDir());
  const identity = loadIdentity(store);
  const client = new PortalClient({ portalUrl: portal.url, retries: 0 });
  return {
    identity,
    checkIn: () => checkInAndCache({ store, client, identity, licenseKey, portalUrl: portal.url }),
  };
}

describe('agents and the admin API', () => {
  it('registers a golden image whose checksum was pasted as a shasum line, kept as given', async () => {
    const { portal, dataDir } = await persistentPortal();
    const arm = await makeFixtureImage(dataDir, { name: 'Eng ARM', arch: 'arm64' });
    const pasted = `${arm.sha256}  /Users/admin/Parallels/Eng ARM.pvmp`;
    const api = adminApi(portal);
    const put = await api.put('/golden-images/eng-image/images/arm64', {
      enabled: true,
      url: arm.path,
      checksum: pasted,
    });
    expect(put.status).toBe(200);
    const read = await api.get('/golden-images/eng-image');
    expect(read.body.goldenImage).toMatchObject({ images: { arm64: { checksum: pasted } } });

    const outcome = await run(portal, await tempDir()).result;
    expect(outcome.error).toBeUndefined();
    expect(outcome).toMatchObject({
      outcome: 'registered',
      vm: { source: { goldenImageId: 'eng-image', sha256: arm.sha256 } },
    });
  });

  it('bumps only the changed policy: its agent sees the new revision, the others a 304', async () => {
    const { portal } = await persistentPortal();
    const eng = await agent(portal, KEYS.eng);
    const strict = await agent(portal, KEYS.strict);
    expect((await eng.checkIn()).policy).toMatchObject({ id: 'group:eng', revision: 1 });
    expect((await strict.checkIn()).policy).toMatchObject({ id: 'group:strict', revision: 1 });

    const changed = await adminApi(portal).put('/policies/strict-policy', {
      appliesTo: ['strict'],
      restrictToCorporateVms: true,
      oneCorporateVmPerUser: true,
    });
    expect(changed.body.changedPolicies).toEqual([{ id: 'group:strict', revision: 2 }]);

    const engNext = await eng.checkIn();
    expect(engNext).toMatchObject({ changed: false, policy: { revision: 1 } });
    const strictNext = await strict.checkIn();
    expect(strictNext).toMatchObject({
      changed: true,
      policy: { revision: 2, oneCorporateVmPerUser: true },
    });
    expect(portal.state.device(strict.identity.deviceId)?.policyRevision).toBe(2);
    const overview = await adminApi(portal).get('/overview');
    expect(overview.body).toMatchObject({
      revision: 1,
      counts: { licenseKeys: 5, userGroups: 2, goldenImages: 1, assignments: 2, devices: 2 },
    });
    expect(overview.body.policies).toEqual(
      expect.arrayContaining([
        { id: 'group:eng', revision: 1, licenseKeys: [KEYS.eng] },
        { id: 'group:strict', revision: 2, licenseKeys: [KEYS.strict] },
      ]),
    );
  });

  it('still bumps every policy when the whole organisation is replaced', async () => {
    const { portal } = await persistentPortal();
    await adminApi(portal).put('/policies/strict-policy', { appliesTo: ['strict'] });
    portal.setOrg(portal.org);
    expect(portal.revision).toBe(2);
    expect([portal.revisionOf('group:eng'), portal.revisionOf('group:strict')]).toEqual([2, 3]);
  });
});
