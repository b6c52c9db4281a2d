import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Redactor, withoutPassword } from '../../../electron/agent/report/report-redaction.ts';
import { findSecrets } from '../../../electron/agent/report/report-secrets.ts';
import { redactSettingsText } from '../../../electron/agent/report/report-settings.ts';
import { useTempDirs } from '../../helpers/temp-dir.ts';

const tempDir = useTempDirs();

describe('the secrets of a home', () => {
  it('finds license keys and proxy passwords in settings text, also when it is not valid JSON', async () => {
    const home = await tempDir();
    const corrupt =
      '{"licenseKey": "ACME-ENG-0002", "policyCache": {"licenseKey":"ACME-OLD-0001"}, "proxyUrl": "http://me:p%40ss@proxy:3128", ';
    const env = { HTTPS_PROXY: 'http://env:envpass@proxy:3128' };
    expect(await findSecrets(home, [corrupt], env)).toEqual({
      licenseKeys: ['ACME-ENG-0002', 'ACME-OLD-0001'],
      adminTokens: [],
      proxyPasswords: ['p%40ss', 'envpass'],
    });
  });

  it('finds the admin token of every portal data folder kept in the home', async () => {
    const home = await tempDir();
    for (const folder of ['portal', 'demo-portal']) {
      await mkdir(join(home, folder));
      await writeFile(join(home, folder, 'admin-token'), `token-of-${folder}\n`);
    }
    const { adminTokens } = await findSecrets(home, [], {});
    expect([...adminTokens].sort()).toEqual(['token-of-demo-portal', 'token-of-portal']);
  });
});

describe('Redactor', () => {
  const redactor = new Redactor({
    licenseKeys: ['ACME-ENG-0002', 'SHORT'],
    adminTokens: ['adm1n-t0ken-value'],
    proxyPasswords: ['p%40ss"word'],
  });

  it('replaces each secret in every spelling: as is, URL-encoded, decoded, JSON-escaped', () => {
    const text = JSON.stringify({
      a: 'ACME-ENG-0002',
      b: encodeURIComponent('ACME-ENG-0002'),
      c: 'p@ss"word and p%40ss"word',
      d: 'admin adm1n-t0ken-value',
      e: 'SHORT',
    });
    const shown = redactor.text(text);
    expect(JSON.parse(shown)).toEqual({
      a: '…0002',
      b: '…0002',
      c: '**** and ****',
      d: 'admin [admin token removed]',
      e: '…',
    });
  });

  it('removes credentials of any URL, bearer tokens and signed-link parameters', () => {
    const text =
      'via https://user:other@proxy.example:8080/x Authorization: Bearer abcdefgh12345 link https://cdn.example/a.pvmp?sig=XYZ&download=1';
    expect(redactor.text(text)).toBe(
      'via https://user:****@proxy.example:8080/x Authorization: Bearer **** link https://cdn.example/a.pvmp?sig=****&download=1',
    );
  });
});

describe('the settings as the report holds them', () => {
  it('keeps the last four characters of each license key and drops proxy passwords', () => {
    const text = JSON.stringify({
      licenseKey: 'ACME-ENG-0002',
      proxyUrl: 'http://me:secret@proxy:3128',
      policyCache: { licenseKey: 'ACME-ENG-0002', portalUrl: 'https://portal.example' },
      vms: [],
    });
    expect(JSON.parse(redactSettingsText(text))).toEqual({
      licenseKey: '…0002',
      proxyUrl: 'http://me@proxy:3128/',
      policyCache: { licenseKey: '…0002', portalUrl: 'https://portal.example' },
      vms: [],
    });
    expect(withoutPassword('not a url://me:secret@x')).toBe('not a url://me@x');
  });
});
