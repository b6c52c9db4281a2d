import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Conf from 'conf';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { openAgentStore } from '../../electron/agent/agent-store.ts';
import { useConfFactory } from '../../electron/agent/conf-file.ts';
import { setupStores } from '../../electron/main/stores.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';
import { ipcMain } from './electron-fake.ts';

// electron-store imports electron's default export.
vi.mock('electron', async () => {
  const fake = await import('./electron-fake.ts');
  return { ...fake, default: fake };
});

const tempDir = useTempDirs();

afterEach(() => useConfFactory((options) => new Conf(options)));

describe('setupStores', () => {
  it('backs the agent store with electron-store on the same file the CLI uses', async () => {
    const home = await tempDir();
    setupStores();
    const store = openAgentStore(home);
    store.set('licenseKey', 'ACME-ENG-0002');
    // electron-store registers its data channel when it is constructed in the main process.
    expect(ipcMain.on).toHaveBeenCalledWith('electron-store-get-data', expect.any(Function));
    expect(store.path).toBe(join(home, 'agent.json'));
    useConfFactory((options) => new Conf(options));
    expect(openAgentStore(home).get('licenseKey')).toBe('ACME-ENG-0002');
    expect(JSON.parse(await readFile(store.path, 'utf8'))).toMatchObject({
      licenseKey: 'ACME-ENG-0002',
    });
  });

  it('keeps the schema: data the agent store forbids is refused and not written', async () => {
    const home = await tempDir();
    setupStores();
    const store = openAgentStore(home);
    expect(() => store.set('vms', [{ uuid: 'not a vm' } as never])).toThrow(/Refused to save/);
    expect(store.get('vms') ?? []).toEqual([]);
  });
});
