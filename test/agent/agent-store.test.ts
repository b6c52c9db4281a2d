import { existsSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openAgentStore } from '../../electron/agent/agent-store.ts';
import { samplePolicy } from '../helpers/fake-portal.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs();

describe('openAgentStore', () => {
  it('round-trips values through <home>/agent.json with private permissions', async () => {
    const home = await tempDir();
    const store = openAgentStore(home);
    expect(store.path).toBe(join(home, 'agent.json'));
    store.set('portalUrl', 'https://portal.example.com');
    store.update({
      licenseKey: 'KEY-1234',
      lastConnectedAt: '2025-01-02T03:04:05.000Z',
      policyCache: {
        etag: '"abc"',
        policy: samplePolicy(),
        checkInIntervalSec: 60,
        portalUrl: 'https://portal.example.com',
        licenseKey: 'KEY-1234',
      },
    });
    const reopened = openAgentStore(home);
    expect(reopened.get('portalUrl')).toBe('https://portal.example.com');
    expect(reopened.get('licenseKey')).toBe('KEY-1234');
    expect(reopened.get('policyCache')?.policy.id).toBe('policy-1');
    expect(reopened.get('vms')).toEqual([]);
    expect((await stat(store.path)).mode & 0o777).toBe(0o600);
  });

  it('keeps keys a newer version wrote, and fills defaults, when it writes', async () => {
    const home = await tempDir();
    const path = join(home, 'agent.json');
    await writeFile(
      path,
      JSON.stringify({ licenseKey: 'ACME-ENG-0002', futureSetting: { on: true } }),
    );
    const store = openAgentStore(home);
    expect(store.read()).toEqual({ licenseKey: 'ACME-ENG-0002', vms: [] });
    store.set('vmDir', '/Volumes/VMs');
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({
      licenseKey: 'ACME-ENG-0002',
      futureSetting: { on: true },
      vmDir: '/Volumes/VMs',
    });
  });

  it('removes a key set to undefined', async () => {
    const store = openAgentStore(await tempDir());
    store.set('vmDir', 'vms-folder');
    store.set('vmDir', undefined);
    expect(store.get('vmDir')).toBeUndefined();
    store.set('licenseKey', 'K');
    store.delete('licenseKey');
    expect(store.read()).not.toHaveProperty('licenseKey');
  });

  it('refuses data that breaks the schema and keeps the file as it was', async () => {
    const store = openAgentStore(await tempDir());
    store.set('portalUrl', 'https://p');
    const before = await readFile(store.path, 'utf8');
    expect(() => store.set('deviceId', 'not-a-uuid')).toThrow(
      expect.objectContaining({
        code: 'REGISTRATION_FAILED',
        message: expect.stringContaining(store.path),
      }),
    );
    expect(() => store.set('archOverride', 'mips' as never)).toThrow(/Refused to save/);
    expect(await readFile(store.path, 'utf8')).toBe(before);
  });

  it('reports a corrupt file by name and does not wipe it', async () => {
    const home = await tempDir();
    const path = join(home, 'agent.json');
    await writeFile(path, '{"portalUrl": "https://p",');
    expect(() => openAgentStore(home)).toThrow(
      expect.objectContaining({
        code: 'REGISTRATION_FAILED',
        message: expect.stringMatching(new RegExp(`${path}.*corrupt`)),
      }),
    );
    expect(await readFile(path, 'utf8')).toBe('{"portalUrl": "https://p",');
  });

  it('reports a file that violates the schema and does not wipe it', async () => {
    const home = await tempDir();
    const path = join(home, 'agent.json');
    await writeFile(path, JSON.stringify({ checkInIntervalSec: -5 }));
    expect(() => openAgentStore(home)).toThrow(/corrupt.*checkInIntervalSec/);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual({ checkInIntervalSec: -5 });
  });

  it('reports a file corrupted after opening on the next read', async () => {
    const home = await tempDir();
    const store = openAgentStore(home);
    await writeFile(store.path, 'garbage');
    expect(() => store.get('deviceId')).toThrow(
      expect.objectContaining({ code: 'REGISTRATION_FAILED' }),
    );
    expect(existsSync(store.path)).toBe(true);
  });
});
