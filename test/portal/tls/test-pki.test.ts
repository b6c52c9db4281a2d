import { X509Certificate, createPrivateKey, createPublicKey } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  SERVER_VARIANTS,
  WRONG_HOST,
  createTestPki,
  type TestPki,
} from '../../../electron/portal/tls/test-pki.ts';
import { writePki } from '../../../electron/portal/tls/write-pki.ts';
import { useTempDirs } from '../../helpers/temp-dir.ts';

const tempDir = useTempDirs();

let pki: TestPki;
let ca: X509Certificate;

beforeAll(() => {
  pki = createTestPki();
  ca = new X509Certificate(pki.caCertPem);
});

const cert = (variant: (typeof SERVER_VARIANTS)[number]) =>
  new X509Certificate(pki.servers[variant].certPem);

describe('createTestPki', () => {
  it('makes a self-signed CA that may sign certificates', () => {
    expect(ca.ca).toBe(true);
    expect(ca.verify(ca.publicKey)).toBe(true);
    expect(ca.subject).toContain('CN=Provisim Test CA');
  });

  it('signs valid, expired and wrongHost with the CA, and untrusted with another one', () => {
    for (const variant of ['valid', 'expired', 'wrongHost'] as const) {
      expect(cert(variant).verify(ca.publicKey), variant).toBe(true);
      expect(cert(variant).checkIssued(ca), variant).toBe(true);
    }
    expect(cert('untrusted').verify(ca.publicKey)).toBe(false);
    expect(cert('untrusted').checkIssued(ca)).toBe(false);
  });

  it('names the default hosts in valid, expired and untrusted, and only the wrong one in wrongHost', () => {
    for (const variant of ['valid', 'expired', 'untrusted'] as const) {
      expect(cert(variant).subjectAltName).toBe('IP Address:127.0.0.1, DNS:localhost');
      expect(cert(variant).checkHost('localhost')).toBe('localhost');
      expect(cert(variant).checkIP('127.0.0.1')).toBe('127.0.0.1');
    }
    expect(cert('wrongHost').subjectAltName).toBe(`DNS:${WRONG_HOST}`);
    expect(cert('wrongHost').checkHost('localhost')).toBeUndefined();
    expect(cert('wrongHost').checkIP('127.0.0.1')).toBeUndefined();
  });

  it('makes expired end in the past and the others valid now', () => {
    const now = Date.now();
    expect(Date.parse(cert('expired').validTo)).toBeLessThan(now);
    for (const variant of ['valid', 'wrongHost', 'untrusted'] as const) {
      expect(Date.parse(cert(variant).validFrom), variant).toBeLessThan(now);
      expect(Date.parse(cert(variant).validTo), variant).toBeGreaterThan(now);
    }
  });

  it('gives each variant a server certificate whose key matches', () => {
    for (const variant of SERVER_VARIANTS) {
      const { keyPem, certPem } = pki.servers[variant];
      const x509 = new X509Certificate(certPem);
      expect(x509.ca, variant).toBe(false);
      expect(x509.keyUsage, variant).toContain('1.3.6.1.5.5.7.3.1');
      expect(x509.checkPrivateKey(createPrivateKey(keyPem)), variant).toBe(true);
    }
  });

  it('takes other hosts, IPv6 included', () => {
    const other = createTestPki({ hosts: ['portal.test', '::1'] });
    const valid = new X509Certificate(other.servers.valid.certPem);
    expect(valid.subjectAltName).toBe('DNS:portal.test, IP Address:0:0:0:0:0:0:0:1');
    expect(valid.verify(createPublicKey(other.caCertPem))).toBe(true);
    expect(valid.verify(ca.publicKey)).toBe(false);
  });
});

describe('writePki', () => {
  it('writes every PEM file, keys readable by the owner only', async () => {
    const dir = join(await tempDir(), 'pki');
    const paths = await writePki(pki, dir);
    expect(await readFile(paths.caCertPath, 'utf8')).toBe(pki.caCertPem);
    for (const variant of SERVER_VARIANTS) {
      const { keyPath, certPath } = paths.servers[variant];
      expect(await readFile(keyPath, 'utf8')).toBe(pki.servers[variant].keyPem);
      expect(await readFile(certPath, 'utf8')).toBe(pki.servers[variant].certPem);
      expect((await stat(keyPath)).mode & 0o777).toBe(0o600);
    }
  });
});
