import { mkdir, writeFile } from 'node:fs/promises';
import type { Server } from 'node:https';
import { join } from 'node:path';
import type { FaultSpec, TlsCertificate } from '../../../shared/faults.ts';
import { createTestPki, type ServerVariant, type TestPki } from './test-pki.ts';

/** The HTTPS side of a portal: a fresh test PKI whose CA certificate is on disk for agents. */
export interface PortalTls {
  readonly pki: TestPki;
  /** `<dataDir>/tls/ca-cert.pem`, what agents are given with `--ca-file`. */
  readonly caCertPath: string;
}

/** Swaps the certificate a listening HTTPS server presents, for the `tls` fault. */
export interface CertificateSwitch {
  /** Presents a faulty certificate to new connections from now on; the valid one when undefined. */
  set(certificate: TlsCertificate | undefined): void;
}

const VARIANTS: Readonly<Record<TlsCertificate, ServerVariant>> = {
  untrusted: 'untrusted',
  expired: 'expired',
  wrong_host: 'wrongHost',
};

/** Generates a test PKI for the loopback names and `host`, and writes its CA certificate. */
export async function preparePortalTls(dataDir: string, host: string): Promise<PortalTls> {
  const wildcard = host === '0.0.0.0' || host === '::';
  const hosts = new Set(['127.0.0.1', 'localhost', '::1', ...(wildcard ? [] : [host])]);
  const pki = createTestPki({ hosts: [...hosts] });
  const dir = join(dataDir, 'tls');
  await mkdir(dir, { recursive: true });
  const caCertPath = join(dir, 'ca-cert.pem');
  await writeFile(caCertPath, pki.caCertPem);
  return { pki, caCertPath };
}

/** The certificate the first active tls fault asks for; undefined (the valid one) without any. */
export function wantedCertificate(faults: readonly FaultSpec[]): TlsCertificate | undefined {
  for (const spec of faults) if (spec.type === 'tls') return spec.certificate;
  return undefined;
}

/** A certificate switch for an HTTPS server that started with the PKI's valid certificate. */
export function certificateSwitch(server: Server, pki: TestPki): CertificateSwitch {
  let serving: ServerVariant = 'valid';
  return {
    set(certificate) {
      const variant = certificate === undefined ? 'valid' : VARIANTS[certificate];
      if (variant === serving) return;
      serving = variant;
      const { keyPem, certPem } = pki.servers[variant];
      server.setSecureContext({ key: keyPem, cert: certPem });
      // A keep-alive client would go on over its old handshake; closing the idle connections makes
      // its next request shake hands again. Requests in flight finish on their connection.
      server.closeIdleConnections();
    },
  };
}
