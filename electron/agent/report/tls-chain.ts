import type { Duplex } from 'node:stream';
import { isIP } from 'node:net';
import { connect, type DetailedPeerCertificate, type TLSSocket } from 'node:tls';
import type { Transport } from '../transport.ts';

/** One certificate of the chain a server presented. */
export interface CertificateSummary {
  readonly subject: string;
  readonly issuer: string;
  readonly validFrom: string;
  readonly validTo: string;
  /** Outside its validity period at the time of the report. */
  readonly expired: boolean;
  readonly notYetValid: boolean;
  readonly subjectAltName: string | null;
  readonly fingerprint256: string;
}

/** The TLS handshake with a server as the agent's trust judges it. */
export interface TlsChainReport {
  /** Whether the agent's CA trust (system roots plus its CA file) accepts the chain for this host. */
  readonly authorized: boolean;
  /** OpenSSL's or Node's reason when not, like UNABLE_TO_VERIFY_LEAF_SIGNATURE. */
  readonly authorizationError: string | null;
  readonly protocol: string | null;
  /** The server's certificate first, then each issuer it sent (or that the trust store completed). */
  readonly chain: readonly CertificateSummary[];
}

/**
 * Opens a TLS connection to an https URL's host with the agent's CA trust, through its proxy
 * when one applies, and summarises the certificates; an untrusted chain is read all the same.
 */
export async function readTlsChain(
  target: URL,
  transport: Transport,
  options: { timeoutMs: number; signal?: AbortSignal; now?: Date },
): Promise<TlsChainReport> {
  const host = target.hostname.replace(/^\[(.*)\]$/, '$1');
  const connectOptions = {
    host,
    port: Number(target.port || 443),
    servername: isIP(host) === 0 ? host : undefined,
    ca: transport.https.certificateAuthority,
    // Judged, not refused: the report is most useful for the chain the agent refuses.
    rejectUnauthorized: false,
    timeout: options.timeoutMs,
  };
  const stop = AbortSignal.any([
    AbortSignal.timeout(options.timeoutMs),
    ...(options.signal ? [options.signal] : []),
  ]);
  let socket: TLSSocket | undefined;
  const secured = new Promise<TLSSocket>((resolve, reject) => {
    // Listeners go on at once: a failed lookup is reported on the next tick.
    const watch = (made: TLSSocket) => {
      socket = made;
      // A tunnel that opened after the time was up: nobody waits for this socket any more.
      if (stop.aborted) made.destroy();
      made.on('error', reject).once('secureConnect', () => resolve(made));
    };
    const agent = transport.agent?.https;
    if (!agent) return watch(connect(connectOptions));
    // The proxy's agent opens the CONNECT tunnel and the TLS session in it, as for a request.
    const made = agent.createConnection(connectOptions, (error: Error | null, stream: Duplex) =>
      error ? reject(error) : watch(stream as TLSSocket),
    );
    if (made) watch(made as TLSSocket);
  });
  try {
    const secure = await untilStopped(stop, secured);
    return {
      authorized: secure.authorized,
      authorizationError: secure.authorizationError ? String(secure.authorizationError) : null,
      protocol: secure.getProtocol(),
      chain: certificateChain(secure.getPeerCertificate(true), options.now ?? new Date()),
    };
  } finally {
    // Read after the race: the socket may have come while the handshake was being awaited.
    (socket as TLSSocket | undefined)?.destroy();
  }
}

async function untilStopped<T>(stop: AbortSignal, work: Promise<T>): Promise<T> {
  // A late failure of the abandoned work must not become an unhandled rejection.
  work.catch(() => undefined);
  stop.throwIfAborted();
  let onAbort = () => {};
  const stopped = new Promise<never>((_, reject) => {
    onAbort = () => reject(stop.reason as Error);
    stop.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work, stopped]);
  } finally {
    stop.removeEventListener('abort', onAbort);
  }
}

function certificateChain(leaf: DetailedPeerCertificate, now: Date): CertificateSummary[] {
  const chain: CertificateSummary[] = [];
  const seen = new Set<string>();
  // A self-signed root is its own issuer: the walk stops where a certificate repeats.
  for (
    let cert = leaf;
    cert?.fingerprint256 && !seen.has(cert.fingerprint256);
    cert = cert.issuerCertificate
  ) {
    seen.add(cert.fingerprint256);
    chain.push({
      subject: distinguishedName(cert.subject),
      issuer: distinguishedName(cert.issuer),
      validFrom: isoDate(cert.valid_from),
      validTo: isoDate(cert.valid_to),
      expired: now.getTime() > Date.parse(cert.valid_to),
      notYetValid: now.getTime() < Date.parse(cert.valid_from),
      subjectAltName: cert.subjectaltname ?? null,
      fingerprint256: cert.fingerprint256,
    });
  }
  return chain;
}

function distinguishedName(name: object | undefined): string {
  return Object.entries(name ?? {})
    .flatMap(([field, value]) =>
      (Array.isArray(value) ? value : [value]).map((v) => `${field}=${String(v)}`),
    )
    .join(', ');
}

function isoDate(text: string): string {
  const time = Date.parse(text);
  return Number.isNaN(time) ? text : new Date(time).toISOString();
}
