import { randomUUID } from 'node:crypto';
import { mkdir, readFile, readdir, rmdir, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parseOrgConfig } from '../../../electron/portal/org-config.ts';
import { startPortal } from '../../../electron/portal/server.ts';
import { sampleOrg } from '../portal-fixtures.ts';
import {
  adminApi,
  checkIn,
  expectRefused,
  goldenImagePayload,
  postEvents,
  useAdminPortals,
} from './admin-fixtures.ts';

const { tempDir, startWith } = useAdminPortals();

const otherSeed = () =>
  parseOrgConfig({ licenseKeys: [{ key: 'OTHER-1', kind: 'primary' }] }, 'other.yaml');

async function savedOrg(dataDir: string): Promise<{ org: { licenseKeys: { key: string }[] } }> {
  return JSON.parse(await readFile(join(dataDir, 'org-state.json'), 'utf8'));
}

describe('the saved portal state', () => {
  it('keeps the organisation, revisions, devices and events across a restart, over the seed', async () => {
    const dataDir = await tempDir();
    const first = await startWith({ dataDir, org: sampleOrg(), persist: true });
    expect(first.persistence).toMatchObject({ loaded: false });
    const api = adminApi(first);
    await api.post('/golden-images', goldenImagePayload({ id: 'fin' }));
    await api.post('/assignments', { group: 'finance', goldenImageId: 'fin' });
    const deviceId = randomUUID();
    await checkIn(first, 'ACME-FIN-0003', deviceId);
    expect((await postEvents(first.url, deviceId, 'ACME-FIN-0003', 3)).status).toBe(202);
    const before = (await api.get('/overview')).body;
    await first.close();

    const second = await startWith({ dataDir, org: otherSeed(), persist: true });
    expect(second.persistence).toMatchObject({ loaded: true });
    expect(second.org.licenseKeys.map((k) => k.key)).not.toContain('OTHER-1');
    expect(second.org.goldenImages.find((g) => g.id === 'fin')?.assignedTo).toEqual(['finance']);
    expect(second.revisionOf('group:finance')).toBe(2);
    expect((await adminApi(second).get('/overview')).body).toEqual(before);
    expect(second.state.device(deviceId)).toMatchObject({
      policyId: 'group:finance',
      lastPhase: 'download-progress',
    });
    expect(second.state.events({ deviceId })).toHaveLength(3);
    expect((await checkIn(second, 'ACME-FIN-0003')).body.policy).toMatchObject({
      id: 'group:finance',
      revision: 2,
    });
  });

  it('leaves a whole, valid file after many concurrent changes, and no temporary files', async () => {
    const dataDir = await tempDir();
    const portal = await startWith({ dataDir, org: sampleOrg(), persist: true });
    const keys = Array.from({ length: 40 }, (_, i) => `ACME-BULK-${String(i).padStart(4, '0')}`);
    const api = adminApi(portal);
    const answers = await Promise.all(
      keys.map((key) => api.post('/license-keys', { key, kind: 'sublicense' })),
    );
    expect(answers.map((a) => a.status)).toEqual(keys.map(() => 201));
    await portal.close();
    const saved = (await savedOrg(dataDir)).org.licenseKeys.map((k) => k.key);
    expect(saved).toHaveLength(46);
    expect(saved).toEqual(expect.arrayContaining(keys));
    expect((await readdir(dataDir)).sort()).toEqual(['admin-token', 'images', 'org-state.json']);
  });

  it('refuses a change it cannot save, keeping memory and file as they were', async () => {
    const dataDir = await tempDir();
    const portal = await startWith({ dataDir, org: sampleOrg(), persist: true });
    const api = adminApi(portal);
    const stateFile = join(dataDir, 'org-state.json');
    // A folder in the file's place makes the final rename fail, as a full or read-only disk would.
    await unlink(stateFile);
    await mkdir(stateFile);
    const refused = await api.post('/license-keys', { key: 'ACME-LOST-01', kind: 'sublicense' });
    expect(expectRefused(refused, 500, 'STATE_NOT_SAVED')).toMatch(/nothing was changed/);
    expect(portal.org.licenseKeys.map((k) => k.key)).not.toContain('ACME-LOST-01');
    expectRefused(await api.get('/license-keys/ACME-LOST-01'), 404, 'NOT_FOUND');
    expect((await readdir(dataDir)).filter((n) => n.includes('.tmp-'))).toEqual([]);

    await rmdir(stateFile);
    expect(
      (await api.post('/license-keys', { key: 'ACME-KEPT-01', kind: 'sublicense' })).status,
    ).toBe(201);
    const saved = (await savedOrg(dataDir)).org.licenseKeys.map((k) => k.key);
    expect(saved).toContain('ACME-KEPT-01');
    expect(saved).not.toContain('ACME-LOST-01');
  });

  it.each([
    ['is not JSON', '{"format": 1, "org": '],
    ['has no organisation', '{"format": 1, "revision": 1, "policyBumps": {}}'],
    [
      'breaks a rule',
      JSON.stringify({
        format: 1,
        revision: 1,
        policyBumps: {},
        org: { licenseKeys: [{ key: 'K', kind: 'sublicense' }] },
      }),
    ],
  ])('refuses to start on a state file that %s, saying what to do', async (_what, text) => {
    const dataDir = await tempDir();
    await writeFile(join(dataDir, 'org-state.json'), text);
    const failure = startPortal({ dataDir, org: sampleOrg(), persist: true, logger: false });
    await expect(failure).rejects.toMatchObject({
      name: 'PortalDataError',
      code: 'STATE_FILE_INVALID',
      message: expect.stringMatching(
        /org-state\.json cannot be loaded: .*move it out of the data folder/,
      ),
    });
  });
});
