import got, { RequestError } from 'got';
import { certificateProblem } from '../../agent/tls-errors.ts';
import { AdminError } from '../admin/admin-error.ts';

/** What one request to an image link answered, after its redirects. */
export interface ProbeAnswer {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly finalUrl: string;
  readonly redirected: boolean;
}

/** Limits of the link checks. */
export const PROBE_TIMEOUT_MS = 15_000;
const MAX_REDIRECTS = 10;

/** got's options for every request the link check makes: no retries, TLS verification on. */
export function linkRequestOptions(headers: Record<string, string> = {}) {
  return {
    headers: { 'user-agent': 'provisim-portal/verify-link', ...headers },
    throwHttpErrors: false,
    followRedirect: true,
    maxRedirects: MAX_REDIRECTS,
    retry: { limit: 0 },
    decompress: false,
    https: { rejectUnauthorized: true },
  } as const;
}

/**
 * Sends one request and stops at the answer's headers: `HEAD`, or a `GET` for the first byte
 * (a server that ignores the range would send the whole image, which is not read).
 */
export function probe(url: string, method: 'HEAD' | 'GET'): Promise<ProbeAnswer> {
  const headers: Record<string, string> = method === 'GET' ? { range: 'bytes=0-0' } : {};
  return new Promise((resolve, reject) => {
    const stream = got.stream(url, {
      ...linkRequestOptions(headers),
      method,
      timeout: { request: PROBE_TIMEOUT_MS },
    });
    stream.once('response', (response) => {
      resolve({
        status: response.statusCode,
        headers: response.headers,
        finalUrl: response.url,
        redirected: response.redirectUrls.length > 0,
      });
      stream.destroy();
    });
    // After the answer, the destroy above may report an error of its own: nobody listens then.
    stream.on('error', (error) => reject(unreachable(url, error)));
    stream.resume();
  });
}

/** The refusal for a link the portal could not get an answer from. */
export function unreachable(url: string, error: unknown): AdminError {
  const problem = certificateProblem(error);
  if (problem) {
    return new AdminError(
      'LINK_CERTIFICATE_INVALID',
      `The server of ${url} presents a TLS certificate that cannot be trusted (${problem}). Macs refuse it too: fix the server's certificate, or use a link on a server with a valid one.`,
    );
  }
  const code = error instanceof RequestError ? error.code : String(error);
  return new AdminError(
    'LINK_UNREACHABLE',
    `The portal could not reach ${url} (${code}). Check the link for typos and that the server is up and reachable without a VPN, then verify again.`,
  );
}
