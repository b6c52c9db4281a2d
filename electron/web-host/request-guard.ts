import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Result } from '../../shared/ipc-contract.ts';
import { ProvisimError } from '../../shared/provisim-error.ts';
import { failure } from '../app/ipc-errors.ts';
import { isAuthorized, tokenRefusal, type AccessToken } from './access-token.ts';
import { PAGE_ROUTE } from './static-files.ts';

const LOCAL_NAMES = ['127.0.0.1', 'localhost', '[::1]'];

/**
 * An onRequest hook that refuses requests which did not come from a page of this host, or which
 * do not carry its access token; it runs before the body is read, so a refusal does nothing.
 */
export function createRequestGuard(port: () => number, token: AccessToken) {
  // Host stops DNS rebinding (a site whose name points at 127.0.0.1); Origin stops other sites'
  // pages, which a browser lets post to any address, from driving the agent.
  const allowedHosts = () => new Set(LOCAL_NAMES.map((name) => `${name}:${port()}`));
  return async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const hosts = allowedHosts();
    const host = request.headers.host ?? '';
    if (!hosts.has(host)) {
      return void reply
        .code(421)
        .send(refusal(`The host name "${host.slice(0, 80)}" is not this app's.`));
    }
    const origin = request.headers.origin;
    if (origin !== undefined && !isOwnOrigin(origin, hosts)) {
      return void reply
        .code(403)
        .send(refusal(`Pages from ${origin.slice(0, 80)} may not use this app.`));
    }
    // Every route but the page's files needs the token, unknown paths too (deny by default). The
    // page is the built renderer, the same for everyone and holding no secret or state; it must
    // load without the token to read it from its address, and again on a reload, once the token
    // has been taken out of the address and lives in the tab's sessionStorage.
    if (request.routeOptions.url !== PAGE_ROUTE && !isAuthorized(request, token)) {
      return void reply
        .code(401)
        .header('www-authenticate', 'Bearer realm="Provisim"')
        .header('cache-control', 'no-store')
        .send(tokenRefusal(request));
    }
    if (request.method === 'POST' && !isJson(request.headers['content-type'])) {
      // Forms and other sites' simple requests cannot send JSON without a CORS preflight.
      return void reply.code(415).send(refusal('Requests must be sent as application/json.'));
    }
  };
}

/** A refused request as the contract's Result. */
export function refusal(message: string): Result<never> {
  return failure(new ProvisimError('INVALID_PAYLOAD', { message: `${message} Nothing was done.` }));
}

function isOwnOrigin(origin: string, hosts: ReadonlySet<string>): boolean {
  if (!URL.canParse(origin)) return false;
  const url = new URL(origin);
  return url.protocol === 'http:' && hosts.has(url.host);
}

function isJson(contentType: string | undefined): boolean {
  return (contentType ?? '').split(';')[0]!.trim().toLowerCase() === 'application/json';
}
