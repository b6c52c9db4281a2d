import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { openAgentStore } from '../../electron/agent/agent-store.ts';
import {
  agentVersion,
  detectHostArch,
  isRosettaTranslated,
  loadIdentity,
  mapHostArch,
} from '../../electron/agent/identity.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs();

describe('loadIdentity', () => {
  it('creates a device id and a serial number once and keeps them across opens', async () => {
    const home = await tempDir();
    const first = loadIdentity(openAgentStore(home));
    expect(first.deviceId).toMatch(/^[0-9a-f-]{36}$/);
    expect(first.serialNumber).toMatch(/^[A-HJ-NP-Z0-9]{10}$/);
    const second = loadIdentity(openAgentStore(home));
    expect(second.deviceId).toBe(first.deviceId);
    expect(second.serialNumber).toBe(first.serialNumber);
    expect(first.hostname.length).toBeGreaterThan(0);
    // A fleet Mac reports the serial of its plan, and the home's own stays as it was.
    const given = loadIdentity(openAgentStore(home), { serialNumber: 'C02ZK1XMMD6T' });
    expect(given.serialNumber).toBe('C02ZK1XMMD6T');
    expect(loadIdentity(openAgentStore(home)).serialNumber).toBe(first.serialNumber);
  });

  it('honours the arch override, then the stored one, then the host', async () => {
    const store = openAgentStore(await tempDir());
    const host = detectHostArch();
    expect(loadIdentity(store).arch).toBe(host);
    store.set('archOverride', host === 'arm64' ? 'x86_64' : 'arm64');
    expect(loadIdentity(store).arch).not.toBe(host);
    expect(loadIdentity(store, { archOverride: host }).arch).toBe(host);
  });

  it('reports the version from package.json', async () => {
    const pkg = JSON.parse(await readFile(new URL('../../package.json', import.meta.url), 'utf8'));
    expect(agentVersion()).toBe(pkg.version);
    expect(loadIdentity(openAgentStore(await tempDir())).agentVersion).toBe(pkg.version);
  });
});

describe('host arch', () => {
  it('maps Node arches and Rosetta to portal arches', () => {
    expect(mapHostArch('arm64')).toBe('arm64');
    expect(mapHostArch('x64')).toBe('x86_64');
    expect(mapHostArch('x64', true)).toBe('arm64');
  });

  it('refuses other arches with a usage error', () => {
    expect(() => mapHostArch('ia32')).toThrow(expect.objectContaining({ code: 'USAGE' }));
  });

  it('never reports Rosetta off macOS', () => {
    expect(isRosettaTranslated('linux')).toBe(false);
    expect(['arm64', 'x86_64']).toContain(detectHostArch());
  });
});
