import { describe, expect, it } from 'vitest';
import {
  adminApi,
  checkIn,
  expectRefused,
  goldenImagePayload,
  useAdminPortals,
} from './admin-fixtures.ts';

const { start } = useAdminPortals();

describe('assignments in the admin API', () => {
  it('lists, assigns a golden image to a group without one, and the next check-in offers it', async () => {
    const portal = await start();
    const api = adminApi(portal);
    expect((await api.get('/assignments')).body.assignments).toEqual([
      { group: 'engineering', goldenImageId: 'win11-dev' },
      { group: 'primary', goldenImageId: 'win11-all' },
    ]);
    await api.post('/golden-images', goldenImagePayload({ id: 'fin' }));
    const assigned = await api.post('/assignments', { group: 'finance', goldenImageId: 'fin' });
    expect(assigned.status).toBe(201);
    expect(assigned.body).toMatchObject({
      assignment: { group: 'finance', goldenImageId: 'fin' },
      changedPolicies: [{ id: 'group:finance', revision: 2 }],
    });
    const { body } = await checkIn(portal, 'ACME-FIN-0003');
    expect(body.policy).toMatchObject({ id: 'group:finance', goldenImage: { id: 'fin' } });
    // The same assignment again changes nothing.
    const again = await api.post('/assignments', { group: 'finance', goldenImageId: 'fin' });
    expect(again).toMatchObject({ status: 200, body: { changedPolicies: [] } });
  });

  it('refuses a second golden image for a group, saying how to free it', async () => {
    const portal = await start();
    const refused = await adminApi(portal).post('/assignments', {
      group: 'engineering',
      goldenImageId: 'win11-all',
    });
    const message = expectRefused(refused, 409, 'GROUP_HAS_GOLDEN_IMAGE');
    expect(message).toMatch(/"engineering" already has golden image "win11-dev"/);
    expect(message).toMatch(/DELETE \/api\/v1\/admin\/assignments/);
    expect(portal.org.goldenImages[1]!.assignedTo).toEqual(['primary']);
  });

  it('refuses an unknown group, an unknown golden image and a malformed assignment', async () => {
    const api = adminApi(await start());
    const group = await api.post('/assignments', { group: 'sales', goldenImageId: 'win11-all' });
    expectRefused(group, 409, 'UNKNOWN_GROUP');
    const image = await api.post('/assignments', { group: 'finance', goldenImageId: 'nope' });
    expectRefused(image, 404, 'NOT_FOUND');
    const bad = await api.post('/assignments', { group: 'finance' });
    expect(expectRefused(bad, 400, 'BAD_REQUEST')).toMatch(/goldenImageId/);
  });

  it('unassigns, warning when the group is restricted to corporate VMs', async () => {
    const portal = await start();
    const api = adminApi(portal);
    const removed = await api.delete('/assignments/engineering');
    expect(removed.status).toBe(200);
    expect(removed.body).toMatchObject({
      unassigned: { group: 'engineering', goldenImageId: 'win11-dev' },
      strandedGroups: ['engineering'],
      warning: expect.stringMatching(/cannot create VMs until another golden image is assigned/),
    });
    expect((await checkIn(portal, 'ACME-ENG-0002')).body.policy.goldenImage).toBeNull();
    expectRefused(await api.delete('/assignments/engineering'), 404, 'NOT_FOUND');
  });
});

describe('deleting a golden image', () => {
  it('needs ?confirm=true, saying it cannot be undone and which corporate-only groups it strands', async () => {
    const portal = await start();
    const api = adminApi(portal);
    const refused = await api.delete('/golden-images/win11-dev');
    const message = expectRefused(refused, 400, 'CONFIRMATION_REQUIRED');
    expect(message).toMatch(/cannot be undone/);
    expect(message).toMatch(/\?confirm=true/);
    expect(message).toMatch(/"engineering" are restricted to corporate VMs/);
    expect(portal.org.goldenImages.map((g) => g.id)).toContain('win11-dev');

    const deleted = await api.delete('/golden-images/win11-dev?confirm=true');
    expect(deleted.status).toBe(200);
    expect(deleted.body).toMatchObject({
      deleted: 'win11-dev',
      unassignedGroups: ['engineering'],
      strandedGroups: ['engineering'],
      warning: expect.stringMatching(
        /"engineering" are restricted to corporate VMs and cannot create VMs until another golden image is assigned/,
      ),
      changedPolicies: [{ id: 'group:engineering', revision: 2 }],
    });
    expectRefused(await api.get('/golden-images/win11-dev'), 404, 'NOT_FOUND');
  });

  it('warns about nobody when the groups it leaves may still create VMs', async () => {
    const api = adminApi(await start());
    const deleted = await api.delete('/golden-images/win11-all?confirm=true');
    expect(deleted.body).toMatchObject({
      unassignedGroups: ['primary'],
      strandedGroups: [],
      warning: null,
    });
  });
});
