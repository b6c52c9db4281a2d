import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Settings } from '../../shared/ipc-contract.ts';
import { openAgentStore } from '../../electron/agent/agent-store.ts';
import { errorOf, invoke, useAppFixture, valueOf } from './app-fixture.ts';

const { start, tempDir } = useAppFixture();
describe('saving the settings', () => {
  it('refuses a license key of the wrong format and saves nothing', async () => {
    const { service, home } = await start();
    const before = valueOf(await invoke(service, 'settings:get'));
    for (const licenseKey of ['', 'hello', 'ACME ENG 0002', 'ACME--0002', 'A-B']) {
      const result = await invoke(service, 'settings:save', { ...before, licenseKey });
      expect(errorOf(result).code, licenseKey).toBe('LICENSE_KEY_FORMAT');
    }
    expect(valueOf(await invoke(service, 'settings:get'))).toEqual(before);
    expect(openAgentStore(home).get('licenseKey')).toBe('ACME-ENG-0002');
  });

  it('activates a new key with a check-in that must succeed; an unknown key saves nothing', async () => {
    const { service, home } = await start();
    const before = valueOf(await invoke(service, 'settings:get'));
    for (const [licenseKey, code] of [
      ['ACME-NOPE-9999', 'LICENSE_UNKNOWN'],
      ['ACME-OLD-0004', 'LICENSE_EXPIRED'],
      ['ACME-REV-0005', 'LICENSE_REVOKED'],
    ]) {
      const result = await invoke(service, 'settings:save', { ...before, licenseKey });
      expect(errorOf(result).code, licenseKey).toBe(code);
    }
    expect(valueOf(await invoke(service, 'settings:get'))).toEqual(before);
    expect(openAgentStore(home).get('licenseKey')).toBe('ACME-ENG-0002');
  });

  it('saves a known key, written in any case, once the portal accepted it', async () => {
    const { service } = await start();
    const saved = valueOf(
      await invoke(service, 'settings:save', {
        ...service.state().settings,
        licenseKey: ' acme-fin-0003 ',
      }),
    );
    expect(saved.licenseKey).toBe('ACME-FIN-0003');
    expect(service.state().settings.licenseKey).toBe('ACME-FIN-0003');
    expect(service.state().agent.policiesReceivedAt).not.toBeNull();
  });

  it('refuses relative folders and unusable CA files, naming the problem', async () => {
    const { service } = await start();
    const base = service.state().settings;
    const notPem = join(await tempDir(), 'not-a-ca.pem');
    await writeFile(notPem, 'hello');
    const cases: [Partial<Settings>, string][] = [
      [{ vmDir: 'VMs' }, 'VM folder'],
      [{ caFile: 'ca.pem' }, 'CA certificate file'],
      [{ caFile: join(notPem, 'missing.pem') }, 'cannot be read'],
      [{ caFile: notPem }, 'PEM'],
    ];
    for (const [change, words] of cases) {
      const error = errorOf(await invoke(service, 'settings:save', { ...base, ...change }));
      expect(error.code).toBe('INVALID_PAYLOAD');
      expect(error.message).toContain(words);
    }
    const badUrl = await invoke(service, 'settings:save', { ...base, portalUrl: 'file:///etc' });
    expect(errorOf(badUrl)).toMatchObject({ code: 'INVALID_PAYLOAD' });
    expect(errorOf(badUrl).message).toContain('http');
    expect(service.state().settings).toEqual(base);
  });
});
