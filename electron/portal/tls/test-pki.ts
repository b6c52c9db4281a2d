import { issueCertificate, newKeyPair, type Issuer } from './issue-certificate.ts';

/** The server certificates a test PKI holds, one per TLS fault. */
export const SERVER_VARIANTS = ['valid', 'expired', 'wrongHost', 'untrusted'] as const;

/** One server certificate variant. */
export type ServerVariant = (typeof SERVER_VARIANTS)[number];

/** A server's private key and certificate, as PEM. */
export interface ServerCredentials {
  readonly keyPem: string;
  readonly certPem: string;
}

/** A throwaway CA and server certificates, for HTTPS listeners and their clients. */
export interface TestPki {
  /** The CA that clients are given; it signs every variant but `untrusted`. */
  readonly caCertPem: string;
  readonly servers: Readonly<Record<ServerVariant, ServerCredentials>>;
}

/** Options of createTestPki. */
export interface TestPkiOptions {
  /** Names and IPs the valid certificates are for (default 127.0.0.1 and localhost). */
  readonly hosts?: readonly string[];
}

/** The only name in the `wrongHost` certificate (a reserved test domain). */
export const WRONG_HOST = 'wrong.example.test';

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

/** Generates a CA and the four server variants (fresh random keys, same structure every time). */
export function createTestPki(options: TestPkiOptions = {}): TestPki {
  const hosts = options.hosts ?? ['127.0.0.1', 'localhost'];
  const now = Date.now();
  // Starting an hour back absorbs clock skew between the test and the TLS library.
  const current = { notBefore: new Date(now - HOUR_MS), notAfter: new Date(now + 365 * DAY_MS) };
  const ca = newCa('Provisim Test CA', current);
  const otherCa = newCa('Provisim Untrusted CA', current);
  // One key for every server variant: RSA key generation is most of the time spent here.
  const keys = newKeyPair();
  const server = (issuer: Issuer, names: readonly string[], validity = current) => {
    const certPem = issueCertificate({
      commonName: names[0] ?? 'server',
      keys,
      hosts: names,
      issuer,
      ...validity,
    });
    return { keyPem: keys.privateKeyPem, certPem };
  };
  return {
    caCertPem: ca.certPem,
    servers: {
      valid: server(ca, hosts),
      expired: server(ca, hosts, {
        notBefore: new Date(now - 30 * DAY_MS),
        notAfter: new Date(now - DAY_MS),
      }),
      wrongHost: server(ca, [WRONG_HOST]),
      untrusted: server(otherCa, hosts),
    },
  };
}

function newCa(commonName: string, validity: { notBefore: Date; notAfter: Date }): Issuer {
  const keys = newKeyPair();
  const certPem = issueCertificate({ commonName, keys, ca: true, ...validity });
  return { certPem, privateKeyPem: keys.privateKeyPem };
}
