import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openAgentStore } from '../../electron/agent/agent-store.ts';
import { AppSettings, detectArch } from '../../electron/app/app-settings.ts';
import { EMBEDDED_LICENSE_KEY } from '../../electron/app/embedded-portal.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs();

describe('architecture detection', () => {
  it('is not fooled by Rosetta: an x64 process translated on Apple silicon is arm64', () => {
    expect(detectArch({ platformArch: 'x64', runningUnderARM64Translation: true })).toBe('arm64');
    expect(detectArch({ platformArch: 'arm64', runningUnderARM64Translation: false })).toBe(
      'arm64',
    );
    expect(detectArch({ platformArch: 'x64', runningUnderARM64Translation: false })).toBe('x86_64');
  });

  it('refuses an architecture the portal has no images for', () => {
    expect(() => detectArch({ platformArch: 'ia32', runningUnderARM64Translation: false })).toThrow(
      expect.objectContaining({ code: 'USAGE' }),
    );
  });
});

describe('the app settings', () => {
  it('use the embedded portal and its demo key in a fresh home', async () => {
    const settings = new AppSettings(await tempDir(), EMBEDDED_LICENSE_KEY);
    expect(settings.embedded).toBe(true);
    expect(settings.read()).toMatchObject({
      licenseKey: EMBEDDED_LICENSE_KEY,
      portalUrl: null,
      arch: 'auto',
      checkInIntervalSec: null,
      proxyUrl: null,
      caFile: null,
    });
  });

  it('keep the portal and key a CLI run left in the home', async () => {
    const home = await tempDir();
    openAgentStore(home).update({ portalUrl: 'https://portal.example', licenseKey: 'ACME-X-1' });
    const settings = new AppSettings(home, EMBEDDED_LICENSE_KEY);
    expect(settings.embedded).toBe(false);
    expect(settings.read()).toMatchObject({
      portalUrl: 'https://portal.example',
      licenseKey: 'ACME-X-1',
    });
  });

  it('give jobs the embedded address without writing it into the agent store', async () => {
    const home = await tempDir();
    const settings = new AppSettings(home, EMBEDDED_LICENSE_KEY);
    const job = await settings.forJob('arm64', async () => 'http://127.0.0.1:4321');
    expect(job).toMatchObject({ portalUrl: 'http://127.0.0.1:4321', arch: 'arm64' });
    expect(openAgentStore(home).get('portalUrl')).toBeUndefined();
    expect(new AppSettings(home, EMBEDDED_LICENSE_KEY).read().portalUrl).toBeNull();
  });

  it('keep the proxy in one place, the agent store, moving the copy an older app.json kept', async () => {
    const home = await tempDir();
    await writeFile(
      join(home, 'app.json'),
      JSON.stringify({ portalMode: 'embedded', proxyUrl: 'http://old:3128' }),
    );
    const settings = new AppSettings(home, EMBEDDED_LICENSE_KEY);
    expect(settings.read().proxyUrl).toBe('http://old:3128');
    expect(openAgentStore(home).get('proxyUrl')).toBe('http://old:3128');
    expect(JSON.parse(await readFile(join(home, 'app.json'), 'utf8'))).not.toHaveProperty(
      'proxyUrl',
    );
    // A proxy a CLI run remembered is the app's proxy too.
    openAgentStore(home).set('proxyUrl', 'http://cli:3128');
    expect(settings.read().proxyUrl).toBe('http://cli:3128');
  });

  it('save an override, a proxy and an interval, and clear them again', async () => {
    const home = await tempDir();
    const settings = new AppSettings(home, EMBEDDED_LICENSE_KEY);
    const base = settings.read();
    settings.write(
      { ...base, arch: 'x86_64', proxyUrl: 'http://proxy:3128', checkInIntervalSec: 60 },
      'http://127.0.0.1:1',
    );
    expect(settings.read()).toMatchObject({
      arch: 'x86_64',
      proxyUrl: 'http://proxy:3128',
      checkInIntervalSec: 60,
    });
    expect(settings.arch('arm64')).toBe('x86_64');
    settings.write(base, 'http://127.0.0.1:1');
    expect(settings.read()).toEqual(base);
    expect(settings.arch('arm64')).toBe('arm64');
  });

  it('refuse a job without a license key with NOT_CONFIGURED', async () => {
    const home = await tempDir();
    openAgentStore(home).set('portalUrl', 'http://127.0.0.1:9');
    const settings = new AppSettings(home, EMBEDDED_LICENSE_KEY);
    await expect(settings.forJob('arm64', async () => 'unused')).rejects.toMatchObject({
      code: 'NOT_CONFIGURED',
    });
  });
});
