import { ProvisimError, isProvisimError } from '../../shared/provisim-error.ts';

/** What is wrong with a server's certificate, from the TLS error code. */
export type CertificateProblem =
  'untrusted' | 'expired' | 'not-yet-valid' | 'wrong-host' | 'invalid';

// OpenSSL verification codes as Node reports them, plus Node's own host name check.
const PROBLEMS: Readonly<Record<string, CertificateProblem>> = {
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'untrusted',
  UNABLE_TO_GET_ISSUER_CERT: 'untrusted',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'untrusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'untrusted',
  DEPTH_ZERO_SELF_SIGNED_CERT: 'untrusted',
  CERT_UNTRUSTED: 'untrusted',
  CERT_HAS_EXPIRED: 'expired',
  CERT_NOT_YET_VALID: 'not-yet-valid',
  ERR_TLS_CERT_ALTNAME_INVALID: 'wrong-host',
  HOSTNAME_MISMATCH: 'wrong-host',
  CERT_REJECTED: 'invalid',
  CERT_REVOKED: 'invalid',
  CERT_SIGNATURE_FAILURE: 'invalid',
  CERT_CHAIN_TOO_LONG: 'invalid',
  INVALID_CA: 'invalid',
  INVALID_PURPOSE: 'invalid',
  PATH_LENGTH_EXCEEDED: 'invalid',
  UNABLE_TO_DECRYPT_CERT_SIGNATURE: 'invalid',
  UNABLE_TO_DECODE_ISSUER_PUBLIC_KEY: 'invalid',
  ERROR_IN_CERT_NOT_BEFORE_FIELD: 'invalid',
  ERROR_IN_CERT_NOT_AFTER_FIELD: 'invalid',
};

/** The certificate problem behind an error (got's or the socket's), if it is one. */
export function certificateProblem(error: unknown): CertificateProblem | undefined {
  const code = codeOf(error);
  return code === undefined ? undefined : PROBLEMS[code];
}

/** TLS_UNTRUSTED for a certificate error, naming the server and the problem; undefined for other errors. */
export function certificateError(
  error: unknown,
  server: { role: string; url: string },
): ProvisimError | undefined {
  const problem = certificateProblem(error);
  if (problem === undefined) return undefined;
  const code = codeOf(error)!;
  // got keeps the URL it was on when the handshake failed (after redirects).
  const url = String((error as { options?: { url?: unknown } }).options?.url ?? server.url);
  const { host, hostname } = new URL(url);
  const names = certificateNames(error);
  return new ProvisimError('TLS_UNTRUSTED', {
    message: `The TLS certificate of the ${server.role} at ${host} ${what(problem, names, hostname)} (${code}). ${advice(problem)}`,
    details: { host, url, tlsCode: code, problem, ...(names ? { certificateNames: names } : {}) },
    cause: error,
  });
}

function what(problem: CertificateProblem, names: string | undefined, hostname: string): string {
  switch (problem) {
    case 'untrusted':
      return 'is issued by a certificate authority this computer does not trust';
    case 'expired':
      return 'has expired';
    case 'not-yet-valid':
      return 'is not valid yet';
    case 'wrong-host':
      return `is issued for another host${names ? `: ${names}, not ${hostname}` : ''}`;
    case 'invalid':
      return 'is not valid';
  }
}

function advice(problem: CertificateProblem): string {
  switch (problem) {
    case 'untrusted':
      return 'If your organisation uses its own CA, add its certificate file in Settings (provisim run --ca-file); otherwise ask your administrator.';
    case 'expired':
      return "Ask your administrator to renew the server's certificate.";
    case 'not-yet-valid':
      return "Check this computer's date and time, or ask your administrator.";
    case 'wrong-host':
      return 'Check the URL, or ask your administrator for a certificate that names this host.';
    case 'invalid':
      return 'Ask your administrator to check the server certificate.';
  }
}

function codeOf(error: unknown): string | undefined {
  // got copies the socket's code onto its RequestError; look at the cause too, to be sure. The
  // walk stops at an error already classified: a proxy's bad certificate is not the server's.
  for (let at = error; at instanceof Error && !isProvisimError(at); at = at.cause) {
    const code = (at as { code?: unknown }).code;
    if (typeof code === 'string' && Object.hasOwn(PROBLEMS, code)) return code;
  }
  return undefined;
}

function certificateNames(error: unknown): string | undefined {
  // Node's host name error carries the peer certificate; its subjectaltname lists the names.
  for (let at = error; at instanceof Error && !isProvisimError(at); at = at.cause) {
    const names = (at as { cert?: { subjectaltname?: unknown } }).cert?.subjectaltname;
    if (typeof names === 'string' && names.length > 0) return names;
  }
  return undefined;
}
