import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { SERVER_VARIANTS, type ServerVariant, type TestPki } from './test-pki.ts';

/** Where writePki put each PEM file. */
export interface PkiPaths {
  readonly caCertPath: string;
  readonly servers: Readonly<Record<ServerVariant, { keyPath: string; certPath: string }>>;
}

/** Writes a test PKI as PEM files in `dir` (created if needed; keys 0600) and returns their paths. */
export async function writePki(pki: TestPki, dir: string): Promise<PkiPaths> {
  await mkdir(dir, { recursive: true });
  const caCertPath = join(dir, 'ca-cert.pem');
  await writeFile(caCertPath, pki.caCertPem);
  const servers = {} as Record<ServerVariant, { keyPath: string; certPath: string }>;
  for (const variant of SERVER_VARIANTS) {
    const keyPath = join(dir, `${variant}-key.pem`);
    const certPath = join(dir, `${variant}-cert.pem`);
    await writeFile(keyPath, pki.servers[variant].keyPem, { mode: 0o600 });
    // The mode of writeFile applies to new files only; an older key file is narrowed too.
    await chmod(keyPath, 0o600);
    await writeFile(certPath, pki.servers[variant].certPem);
    servers[variant] = { keyPath, certPath };
  }
  return { caCertPath, servers };
}
