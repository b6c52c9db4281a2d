import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rmdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleOrg } from '../portal-fixtures.ts';
import { checkIn, postEvents, useAdminPortals } from './admin-fixtures.ts';

const { tempDir, startWith } = useAdminPortals();
const ENG = 'ACME-ENG-0002';

describe('the saved devices and events', () => {
  it('keeps the newest 5,000 events, in the file too', async () => {
    const dataDir = await tempDir();
    const first = await startWith({ dataDir, org: sampleOrg(), persist: true });
    const deviceId = randomUUID();
    await checkIn(first, ENG, deviceId);
    for (let batch = 0; batch < 11; batch += 1) {
      expect((await postEvents(first.url, deviceId, ENG, 500, batch * 500)).status).toBe(202);
    }
    await first.close();
    const file = JSON.parse(await readFile(join(dataDir, 'portal-state.json'), 'utf8'));
    expect(file.events).toHaveLength(5_000);
    const second = await startWith({ dataDir, org: sampleOrg(), persist: true });
    const events = second.state.events();
    expect(events).toHaveLength(5_000);
    expect(events[0]).toMatchObject({ transferred: 500 });
    expect(events.at(-1)).toMatchObject({ transferred: 5_499 });
  });

  it('goes on serving when they cannot be saved, says so, and saves them all once it can', async () => {
    const dataDir = await tempDir();
    const portal = await startWith({ dataDir, org: sampleOrg(), persist: true });
    const file = join(dataDir, 'portal-state.json');
    await mkdir(file);
    const warned = new Promise<Error>((resolve) => process.once('warning', resolve));
    const deviceId = randomUUID();
    await checkIn(portal, ENG, deviceId);
    expect((await postEvents(portal.url, deviceId, ENG, 2)).status).toBe(202);
    expect((await warned).message).toMatch(/could not save devices and events/);
    expect(portal.state.events({ deviceId })).toHaveLength(2);

    await rmdir(file);
    expect((await postEvents(portal.url, deviceId, ENG, 1, 2)).status).toBe(202);
    await portal.close();
    const saved = JSON.parse(await readFile(file, 'utf8'));
    expect(saved.events.map((e: { transferred: number }) => e.transferred)).toEqual([0, 1, 2]);
  });
});
