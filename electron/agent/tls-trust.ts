import { X509Certificate } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { rootCertificates } from 'node:tls';
import { ProvisimError } from '../../shared/provisim-error.ts';

/** got's `https` options: verification always on, optionally with an extra CA. */
export interface HttpsTrust {
  readonly rejectUnauthorized: true;
  readonly certificateAuthority?: string[];
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

/** The certificates of a PEM CA file (one or a bundle); USAGE naming the file when unusable. */
export function readCaFile(caFile: string): string[] {
  let text: string;
  try {
    text = readFileSync(caFile, 'utf8');
  } catch (error) {
    const reason = (error as { code?: string }).code ?? String(error);
    throw new ProvisimError('USAGE', {
      message: `The CA certificate file "${caFile}" cannot be read (${reason}). Give the path of a PEM file with your organisation's CA certificate.`,
      details: { caFile },
      cause: error,
    });
  }
  const certificates = text.match(PEM_CERTIFICATE) ?? [];
  try {
    // Node's TLS would silently skip a broken block; refuse it here so the user hears why.
    for (const pem of certificates) new X509Certificate(pem);
  } catch (error) {
    throw notPem(caFile, error);
  }
  if (certificates.length === 0) throw notPem(caFile);
  return certificates;
}

/** got `https` options trusting the system roots plus, when given, the CAs of `caFile`. */
export function httpsTrust(caFile?: string): HttpsTrust {
  if (caFile === undefined) return { rejectUnauthorized: true };
  // Node replaces its roots with `ca` when given one: keep them, the file only adds to them.
  return {
    rejectUnauthorized: true,
    certificateAuthority: [...rootCertificates, ...readCaFile(caFile)],
  };
}

function notPem(caFile: string, cause?: unknown): ProvisimError {
  return new ProvisimError('USAGE', {
    message: `The CA certificate file "${caFile}" does not hold a PEM certificate (-----BEGIN CERTIFICATE-----). Export your organisation's CA certificate as PEM and give that file.`,
    details: { caFile },
    cause,
  });
}
