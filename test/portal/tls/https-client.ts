import { readFile } from 'node:fs/promises';
import { request, type Agent } from 'node:https';
import type { IncomingHttpHeaders } from 'node:http';
import type { TLSSocket } from 'node:tls';
import type { RunningPortal } from '../../../electron/portal/server.ts';

/** What one HTTPS exchange gave: the answer, or the error code of a failed one. */
export type HttpsAnswer =
  | {
      readonly status: number;
      readonly headers: IncomingHttpHeaders;
      readonly body: Buffer;
      readonly socket: TLSSocket;
    }
  | { readonly error: string };

/** How a test client trusts the portal: its CA file, the system roots only, or nothing (`curl -k`). */
export type Trust = { readonly caFile: string } | 'system' | 'insecure';

/** Options of one call. */
export interface HttpsCallOptions {
  readonly method?: string;
  readonly headers?: Record<string, string>;
  readonly body?: unknown;
  /** A keep-alive agent to reuse connections; a fresh connection when absent. */
  readonly agent?: Agent;
}

/** One HTTPS request; resolves with the answer or the error code (never rejects). */
export async function httpsCall(
  url: string,
  trust: Trust,
  options: HttpsCallOptions = {},
): Promise<HttpsAnswer> {
  const tls = await tlsOptions(trust);
  const body = options.body === undefined ? undefined : JSON.stringify(options.body);
  const headers =
    body === undefined
      ? options.headers
      : { ...options.headers, 'content-type': 'application/json' };
  return new Promise((resolve) => {
    const req = request(
      url,
      { method: options.method ?? 'GET', headers, agent: options.agent ?? false, ...tls },
      (res) => {
        // A keep-alive agent takes the socket back at the end of the answer.
        const socket = res.socket as TLSSocket;
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => {
          const { statusCode, headers } = res;
          resolve({ status: statusCode ?? 0, headers, body: Buffer.concat(chunks), socket });
        });
      },
    );
    req.on('error', (error: NodeJS.ErrnoException) =>
      resolve({ error: error.code ?? error.message }),
    );
    req.end(body);
  });
}

async function tlsOptions(trust: Trust): Promise<{ rejectUnauthorized?: false; ca?: Buffer }> {
  if (trust === 'insecure') return { rejectUnauthorized: false };
  if (trust === 'system') return {};
  return { ca: await readFile(trust.caFile) };
}

/** Admin token of the HTTPS portals the TLS tests start. */
export const ADMIN_TOKEN = 'tls-admin-token';

/** Call options that open the device list, a request without side effects that answers 200. */
export const AS_ADMIN = { headers: { authorization: `Bearer ${ADMIN_TOKEN}` } } as const;

/** Calls the portal's fault API (`/api/v1/faults<path>`) with the admin token. */
export function faultApi(
  portal: RunningPortal,
  trust: Trust,
  method: string,
  path = '',
  body?: unknown,
): Promise<HttpsAnswer> {
  const headers = { authorization: `Bearer ${ADMIN_TOKEN}` };
  return httpsCall(`${portal.url}/api/v1/faults${path}`, trust, { method, headers, body });
}
