import { describe, expect, it } from 'vitest';
import { adminApi, expectRefused, goldenImagePayload, useAdminPortals } from './admin-fixtures.ts';

const { start } = useAdminPortals();

describe('the admin API checks what the admin pages send', () => {
  it('refuses a new license key that is not in the Control Center’s format, naming the field', async () => {
    const portal = await start();
    const api = adminApi(portal);
    const refused = await api.post('/license-keys', { key: 'acme bad', kind: 'sublicense' });
    expectRefused(refused, 400, 'BAD_REQUEST');
    expect(refused.body.error?.problems).toEqual([
      expect.objectContaining({ code: 'BAD_REQUEST', path: 'key' }),
    ]);
    expect(portal.org.licenseKeys.map((k) => k.key)).not.toContain('acme bad');
    expect(
      (await api.post('/license-keys', { key: 'ACME-OPS-0007', kind: 'sublicense' })).status,
    ).toBe(201);
  });

  it('refuses a second golden image with a name another one has, whatever its case and spaces', async () => {
    const portal = await start();
    const api = adminApi(portal);
    const twin = await api.post(
      '/golden-images',
      goldenImagePayload({ name: ' acme  windows 11 ' }),
    );
    expectRefused(twin, 409, 'DUPLICATE_ID');
    expect(twin.body.error?.problems).toEqual([
      expect.objectContaining({ code: 'DUPLICATE_ID', path: 'name' }),
    ]);
    expect(portal.org.goldenImages).toHaveLength(2);
    // Saving an image under its own name again is no clash.
    const same = await api.put('/golden-images/win11-dev', {
      ...goldenImagePayload({ name: 'ACME Windows 11 for Developers' }),
    });
    expect(same.status, JSON.stringify(same.body)).toBe(200);
  });

  it('refuses a group named like another instead of making "engineering-2"', async () => {
    const portal = await start();
    const api = adminApi(portal);
    const twin = await api.post('/user-groups', {
      name: 'Engineering',
      licenseKey: 'ACME-BE-0006',
    });
    expectRefused(twin, 409, 'DUPLICATE_ID');
    expect(twin.body.error?.problems?.[0]).toMatchObject({ code: 'DUPLICATE_ID', path: 'name' });
    expect(portal.org.userGroups.map((g) => g.id)).toEqual(['engineering', 'finance']);
  });

  it('flags a checksum that is not a SHA-256 in the same answer as a missing name', async () => {
    const api = adminApi(await start());
    const answer = await api.post('/golden-images', {
      name: '',
      images: {
        x86_64: { enabled: true, url: 'https://files.acme.example/x.pvmp', checksum: 'xyz' },
      },
    });
    expectRefused(answer, 400, 'NAME_REQUIRED');
    expect(answer.body.error?.problems?.map((p) => [p.code, p.path])).toEqual([
      ['NAME_REQUIRED', 'name'],
      ['CHECKSUM_INVALID', 'images.x86_64.checksum'],
    ]);
  });

  it('names in its problems what still uses an entry, and what deleting a golden image strands', async () => {
    const api = adminApi(await start());
    const used = await api.delete('/user-groups/engineering');
    expectRefused(used, 409, 'IN_USE');
    expect(used.body.error?.problems?.map((p) => p.path)).toEqual([
      'goldenImages "win11-dev"',
      'policies "strict"',
    ]);
    const unconfirmed = await api.delete('/golden-images/win11-dev');
    expectRefused(unconfirmed, 400, 'CONFIRMATION_REQUIRED');
    expect(unconfirmed.body.error).toMatchObject({
      unassignedGroups: ['engineering'],
      strandedGroups: ['engineering'],
      problems: [{ code: 'CONFIRMATION_REQUIRED', path: '' }],
    });
  });

  it('lists a problem in every refusal, also a missing entry and a wrong token', async () => {
    const portal = await start();
    const missing = await adminApi(portal).get('/golden-images/nope');
    expect(missing.body.error?.problems).toEqual([expect.objectContaining({ code: 'NOT_FOUND' })]);
    const wrong = await adminApi(portal, 'not-the-token').get('/overview');
    expect(wrong.status).toBe(401);
    expect(wrong.body.error?.problems).toEqual([
      expect.objectContaining({ code: 'UNAUTHORIZED', path: '' }),
    ]);
  });

  it('answers a fault of no known type with the field and the types there are', async () => {
    const portal = await start();
    const res = await fetch(`${portal.url}/api/v1/faults`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${portal.adminToken!.token}`,
        'content-type': 'application/json',
      },
      body: JSON.stringify({ type: 'latencey', latencyMs: 5 }),
    });
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as {
      error: { problems: { path: string; reason: string; options: string[] }[] };
    };
    expect(error.problems).toEqual([
      expect.objectContaining({ path: 'type', reason: 'is not one of the values it may take' }),
    ]);
    expect(error.problems[0]!.options).toEqual(expect.arrayContaining(['latency', 'bandwidth']));
  });
});
