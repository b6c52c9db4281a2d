import { describe, expect, it } from 'vitest';
import {
  SHASUM_LINE,
  adminApi,
  checkIn,
  expectRefused,
  useAdminPortals,
} from './admin-fixtures.ts';

const { start } = useAdminPortals();

describe('policies in the admin API', () => {
  it('creates a policy for a group, which its next check-in carries, and deletes it', async () => {
    const portal = await start();
    const api = adminApi(portal);
    const created = await api.post('/policies', {
      id: 'finance-strict',
      appliesTo: ['finance'],
      restrictToCorporateVms: true,
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      policy: { id: 'finance-strict', oneCorporateVmPerUser: false, restrictToCorporateVms: true },
      changedPolicies: [{ id: 'profile:be-profile', revision: 2 }],
    });
    const { body } = await checkIn(portal, 'ACME-FIN-0003');
    expect(body.policy).toMatchObject({ restrictToCorporateVms: true, revision: 2 });
    expect((await api.delete('/policies/finance-strict')).status).toBe(200);
    expect((await checkIn(portal, 'ACME-FIN-0003')).body.policy).toMatchObject({
      restrictToCorporateVms: false,
      revision: 3,
    });
  });

  it('refuses a second policy for a group, an unknown group, a group listed twice', async () => {
    const api = adminApi(await start());
    expectRefused(
      await api.post('/policies', { id: 'p', appliesTo: ['engineering'] }),
      409,
      'GROUP_HAS_POLICY',
    );
    const unknown = await api.post('/policies', { id: 'p', appliesTo: ['sales'] });
    expect(expectRefused(unknown, 409, 'UNKNOWN_GROUP')).toMatch(/"sales"/);
    expectRefused(
      await api.post('/policies', { id: 'p', appliesTo: ['finance', 'finance'] }),
      400,
      'LISTED_TWICE',
    );
    expectRefused(await api.post('/policies', { appliesTo: ['finance'] }), 400, 'BAD_REQUEST');
  });
});

describe('configuration profiles in the admin API', () => {
  it('applies named Parallels Desktop settings to a group, sent with its policy', async () => {
    const portal = await start();
    const api = adminApi(portal);
    const settings = {
      'vm.startupView': 'coherence',
      'app.autoUpdate': false,
      'vm.memoryMiB': 8192,
    };
    const created = await api.post('/configuration-profiles', {
      name: 'Engineering settings',
      settings,
      assignedTo: ['engineering'],
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      configurationProfile: { id: 'engineering-settings', settings, assignedTo: ['engineering'] },
      changedPolicies: [{ id: 'group:engineering', revision: 2 }],
    });
    const { body } = await checkIn(portal, 'ACME-ENG-0002');
    expect(body.policy).toMatchObject({
      id: 'group:engineering',
      configurationProfile: { id: 'engineering-settings', name: 'Engineering settings', settings },
    });
    // The golden image of the group still decides the VM offered.
    expect(body.policy.goldenImage?.id).toBe('win11-dev');
  });

  it('keeps a VM payload link and checksum to the golden image rules', async () => {
    const api = adminApi(await start());
    const payload = {
      enabled: true,
      name: 'BE VM',
      url: 'https://f.example/be.zip',
      checksum: SHASUM_LINE,
    };
    const ok = await api.put('/configuration-profiles/be-profile', {
      name: 'BE',
      appliesToKeys: ['ACME-BE-0006'],
      vmForMSeriesMac: payload,
    });
    expect(ok.status).toBe(200);
    const bad = await api.put('/configuration-profiles/be-profile', {
      name: 'BE',
      vmForIntelMac: { ...payload, checksum: 'nope' },
    });
    expect(bad.body.error?.problems?.[0]).toMatchObject({
      code: 'CHECKSUM_INVALID',
      path: 'vmForIntelMac.checksum',
    });
  });

  it('refuses a profile without a name, or for a key that already has one', async () => {
    const api = adminApi(await start());
    expectRefused(
      await api.post('/configuration-profiles', { id: 'x', settings: {} }),
      400,
      'NAME_REQUIRED',
    );
    const taken = await api.post('/configuration-profiles', {
      name: 'Fin',
      assignedTo: ['finance'],
    });
    expect(expectRefused(taken, 409, 'TARGET_HAS_PROFILE')).toMatch(
      /"ACME-FIN-0003".*"be-profile"/,
    );
    const key = await api.post('/configuration-profiles', {
      name: 'Be2',
      appliesToKeys: ['ACME-BE-0006'],
    });
    expectRefused(key, 409, 'TARGET_HAS_PROFILE');
    expectRefused(
      await api.post('/configuration-profiles', { name: 'K', appliesToKeys: ['NOPE'] }),
      409,
      'UNKNOWN_LICENSE_KEY',
    );
  });
});
