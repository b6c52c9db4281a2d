import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PortalDataError } from '../../../electron/portal/admin/data-files.ts';
import { startPortal } from '../../../electron/portal/server.ts';
import { sampleOrg } from '../portal-fixtures.ts';
import { adminApi, expectRefused, useAdminPortals } from './admin-fixtures.ts';

const { tempDir, start, startWith } = useAdminPortals();

describe('the admin token', () => {
  it('is made at first start, stored owner-only, and read back (not made again) later', async () => {
    const dataDir = await tempDir();
    const first = await startWith({ dataDir, org: sampleOrg(), persist: true });
    const file = join(dataDir, 'admin-token');
    expect(first.adminToken).toEqual({ token: expect.any(String), file, generated: true });
    expect(first.adminToken!.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect((await readFile(file, 'utf8')).trim()).toBe(first.adminToken!.token);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    await first.close();

    const second = await startWith({ dataDir, org: sampleOrg(), persist: true });
    expect(second.adminToken).toEqual({ token: first.adminToken!.token, file, generated: false });
  });

  it('tightens a token file that others were allowed to read', async () => {
    const dataDir = await tempDir();
    await writeFile(join(dataDir, 'admin-token'), 'hand-made-token\n');
    await chmod(join(dataDir, 'admin-token'), 0o644);
    const portal = await startWith({ dataDir, org: sampleOrg(), persist: true });
    expect(portal.adminToken).toMatchObject({ token: 'hand-made-token', generated: false });
    expect((await stat(join(dataDir, 'admin-token'))).mode & 0o777).toBe(0o600);
  });

  it('is overridden by a token given at start, which is not written anywhere', async () => {
    const dataDir = await tempDir();
    const portal = await startWith({ dataDir, org: sampleOrg(), persist: true, adminToken: 'x1' });
    expect(portal.adminToken).toEqual({ token: 'x1', generated: false });
    expect(existsSync(join(dataDir, 'admin-token'))).toBe(false);
    expect((await adminApi(portal, 'x1').get('/overview')).status).toBe(200);
  });

  it('refuses to start on an empty token file, saying how to get a new one', async () => {
    const dataDir = await tempDir();
    await writeFile(join(dataDir, 'admin-token'), '\n');
    const failure = startPortal({ dataDir, org: sampleOrg(), persist: true, logger: false });
    await expect(failure).rejects.toBeInstanceOf(PortalDataError);
    await expect(failure).rejects.toMatchObject({
      code: 'ADMIN_TOKEN_INVALID',
      message: expect.stringMatching(/Delete it to have a new token made/),
    });
  });

  it('is not made for a portal that does not persist (the admin API is then off)', async () => {
    const dataDir = await tempDir();
    const portal = await startWith({ dataDir, org: sampleOrg() });
    expect(portal.adminToken).toBeUndefined();
    expect(existsSync(join(dataDir, 'admin-token'))).toBe(false);
    expect(existsSync(join(dataDir, 'org-state.json'))).toBe(false);
    const message = expectRefused(await adminApi(portal, 'any').get('/overview'), 403, 'FORBIDDEN');
    expect(message).toMatch(/without an admin token/);
  });
});

describe('the admin API guard', () => {
  it('answers 401 to a missing or wrong token, with a Bearer challenge', async () => {
    const portal = await start();
    const missing = await fetch(`${portal.url}/api/v1/admin/golden-images`);
    expect(missing.status).toBe(401);
    expect(missing.headers.get('www-authenticate')).toBe('Bearer realm="provisim-admin"');
    expectRefused(await adminApi(portal, 'wrong').get('/golden-images'), 401, 'UNAUTHORIZED');
    const del = await adminApi(portal, 'wrong').delete('/golden-images/win11-dev?confirm=true');
    expectRefused(del, 401, 'UNAUTHORIZED');
    expect(portal.org.goldenImages.map((g) => g.id)).toContain('win11-dev');
  });

  it('opens the fault API with the same token', async () => {
    const portal = await start();
    const res = await fetch(`${portal.url}/api/v1/faults`, {
      headers: { authorization: `Bearer ${portal.adminToken!.token}` },
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ faults: [] });
  });
});
