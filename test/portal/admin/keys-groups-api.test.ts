import { describe, expect, it } from 'vitest';
import { adminApi, checkIn, expectRefused, useAdminPortals } from './admin-fixtures.ts';

const { start } = useAdminPortals();

describe('license keys in the admin API', () => {
  it('adds a sublicense key (active by default), lists it, and revokes it for the next check-in', async () => {
    const portal = await start();
    const api = adminApi(portal);
    const added = await api.post('/license-keys', { key: 'ACME-NEW-0007', kind: 'sublicense' });
    expect(added.status).toBe(201);
    expect(added.body.licenseKey).toEqual({
      key: 'ACME-NEW-0007',
      kind: 'sublicense',
      state: 'active',
    });
    const keys = (await api.get('/license-keys')).body.licenseKeys as { key: string }[];
    expect(keys.map((k) => k.key)).toContain('ACME-NEW-0007');
    expect((await checkIn(portal, 'ACME-NEW-0007')).status).toBe(200);

    const revoked = await api.put('/license-keys/ACME-NEW-0007', {
      kind: 'sublicense',
      state: 'revoked',
    });
    expect(revoked.body).toMatchObject({
      licenseKey: { state: 'revoked' },
      changedPolicies: [{ id: 'default', revision: 2 }],
    });
    const refused = await checkIn(portal, 'ACME-NEW-0007');
    expect(refused).toMatchObject({ status: 403, body: { error: { code: 'LICENSE_REVOKED' } } });
    expect(
      (await api.put('/license-keys/ACME-OLD-0004', { kind: 'sublicense', state: 'active' }))
        .status,
    ).toBe(200);
    expect((await checkIn(portal, 'ACME-OLD-0004')).status).toBe(200);
  });

  it('refuses a second primary key, a taken key, and a key without its key', async () => {
    const api = adminApi(await start());
    const second = await api.post('/license-keys', { key: 'ACME-P2', kind: 'primary' });
    expect(expectRefused(second, 409, 'PRIMARY_KEY_COUNT')).toMatch(/exactly one primary/);
    expectRefused(
      await api.post('/license-keys', { key: 'ACME-ENG-0002', kind: 'sublicense' }),
      409,
      'DUPLICATE_ID',
    );
    expectRefused(await api.post('/license-keys', { kind: 'sublicense' }), 400, 'BAD_REQUEST');
    const state = await api.post('/license-keys', {
      key: 'K',
      kind: 'sublicense',
      state: 'paused',
    });
    expect(expectRefused(state, 400, 'BAD_REQUEST')).toMatch(/state/);
  });

  it('refuses deleting the primary key or a key still in use, and deletes a free one', async () => {
    const api = adminApi(await start());
    expectRefused(await api.delete('/license-keys/ACME-PRIMARY-0001'), 409, 'PRIMARY_KEY_COUNT');
    const used = await api.delete('/license-keys/ACME-FIN-0003');
    expect(expectRefused(used, 409, 'IN_USE')).toMatch(
      /user group "finance", configuration profile "be-profile"/,
    );
    expect((await api.delete('/license-keys/ACME-OLD-0004')).body).toMatchObject({
      deleted: 'ACME-OLD-0004',
    });
    expectRefused(await api.delete('/license-keys/ACME-OLD-0004'), 404, 'NOT_FOUND');
  });

  it('takes a DELETE that carries a JSON content type but no body', async () => {
    const portal = await start();
    const res = await fetch(`${portal.url}/api/v1/admin/license-keys/ACME-OLD-0004`, {
      method: 'DELETE',
      headers: {
        authorization: `Bearer ${portal.adminToken!.token}`,
        'content-type': 'application/json',
      },
    });
    expect(res.status).toBe(200);
  });

  it('answers broken JSON with the portal 400 body', async () => {
    const portal = await start();
    const res = await fetch(`${portal.url}/api/v1/admin/license-keys`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${portal.adminToken!.token}`,
        'content-type': 'application/json',
      },
      body: '{"key":',
    });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: { code: 'BAD_REQUEST' } });
  });
});

describe('user groups in the admin API', () => {
  it('creates a group on a free sublicense key (id from the name), renames it and deletes it', async () => {
    const portal = await start();
    const api = adminApi(portal);
    const created = await api.post('/user-groups', {
      name: 'Sales Team',
      licenseKey: 'ACME-BE-0006',
    });
    expect(created.status).toBe(201);
    expect(created.body.userGroup).toEqual({
      id: 'sales-team',
      name: 'Sales Team',
      licenseKey: 'ACME-BE-0006',
    });
    const renamed = await api.put('/user-groups/sales-team', {
      name: 'Sales',
      licenseKey: 'ACME-BE-0006',
    });
    // Macs show their group's name after saving their settings: the policy of its key changes.
    expect(renamed.body).toMatchObject({
      userGroup: { name: 'Sales' },
      changedPolicies: [{ id: 'profile:be-profile', revision: 3 }],
    });
    expect((await api.delete('/user-groups/sales-team')).status).toBe(200);
    expect(portal.org.userGroups.map((g) => g.id)).toEqual(['engineering', 'finance']);
  });

  it.each([
    ['an unknown key', { licenseKey: 'NOPE-1' }, 409, 'UNKNOWN_LICENSE_KEY'],
    ['the primary key', { licenseKey: 'ACME-PRIMARY-0001' }, 409, 'NOT_A_SUBLICENSE_KEY'],
    ["another group's key", { licenseKey: 'ACME-ENG-0002' }, 409, 'LICENSE_KEY_IN_USE'],
    ['the reserved id "primary"', { id: 'primary' }, 400, 'RESERVED_ID'],
    ['a blank name', { name: '' }, 400, 'NAME_REQUIRED'],
    // Agents refuse a policy whose group name is longer: every Mac of the group would fail.
    ['a name longer than agents take', { name: 'S'.repeat(201) }, 400, 'BAD_REQUEST'],
    ['an unknown field', { colour: 'red' }, 400, 'BAD_REQUEST'],
  ] as const)('refuses a group with %s', async (_what, change, status, code) => {
    const portal = await start();
    const group = { name: 'Sales', licenseKey: 'ACME-BE-0006', ...change };
    expectRefused(await adminApi(portal).post('/user-groups', group), status, code);
    expect(portal.org.userGroups).toHaveLength(2);
  });

  it('refuses deleting a group that a golden image or a policy still names', async () => {
    const api = adminApi(await start());
    const message = expectRefused(await api.delete('/user-groups/engineering'), 409, 'IN_USE');
    expect(message).toMatch(/golden image "win11-dev", policy "strict"/);
  });
});
