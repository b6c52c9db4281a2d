import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AdminError } from '../../../electron/portal/admin/admin-error.ts';
import { OrgStore } from '../../../electron/portal/admin/org-store.ts';
import type { OrgConfig } from '../../../electron/portal/org-config-schema.ts';
import { useTempDirs } from '../../helpers/temp-dir.ts';
import { sampleOrg } from '../portal-fixtures.ts';

const tempDir = useTempDirs();

const addKey = (key: string) => ({
  build: (org: OrgConfig) => ({
    data: { ...org, licenseKeys: [...org.licenseKeys, { key, kind: 'sublicense' }] },
  }),
});

describe('OrgStore', () => {
  it('applies changes one after the other, each on top of the last', async () => {
    const { store } = await OrgStore.open(sampleOrg());
    await Promise.all(['A-1', 'A-2', 'A-3'].map((key) => store.change(addKey(key))));
    expect(store.org.licenseKeys.map((k) => k.key).slice(-3)).toEqual(['A-1', 'A-2', 'A-3']);
  });

  it('goes on after a refused change', async () => {
    const { store } = await OrgStore.open(sampleOrg());
    const refused = store.change({
      build: () => {
        throw new AdminError('NOT_FOUND', 'There is no such entry here.');
      },
    });
    const next = store.change(addKey('B-1'));
    await expect(refused).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await expect(next).resolves.toMatchObject({ changedPolicies: [] });
  });

  it('applies a change again on top of a whole replacement that came while it was saving', async () => {
    const dataDir = await tempDir();
    const file = join(dataDir, 'org-state.json');
    const { store } = await OrgStore.open(sampleOrg(), file);
    let replaced = false;
    const result = await store.change({
      ...addKey('C-1'),
      // Runs just before the save: the moment a fault or a scenario step could replace the org.
      check: () => {
        if (replaced) return;
        replaced = true;
        const org = store.org;
        store.replace({ ...org, checkInIntervalSec: 42 });
      },
    });
    expect(result.org.checkInIntervalSec).toBe(42);
    expect(store.org.licenseKeys.map((k) => k.key)).toContain('C-1');
    expect(store.revision).toBe(2);
    await store.flush();
    const saved = JSON.parse(await readFile(file, 'utf8'));
    expect(saved.org.checkInIntervalSec).toBe(42);
    expect(saved.org.licenseKeys.map((k: { key: string }) => k.key)).toContain('C-1');
  });
});
