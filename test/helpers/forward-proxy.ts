import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createProxy } from 'proxy';
import { afterEach } from 'vitest';

/** A forward proxy on 127.0.0.1 and what went through it. */
export interface ForwardProxy {
  /** `http://127.0.0.1:<port>`, without credentials. */
  readonly url: string;
  /** The same URL with `user:password@`. */
  readonly urlWith: (user: string, password: string) => string;
  /** `CONNECT host:port` (or `METHOD url`) per request, in order. */
  readonly seen: string[];
  /** The Proxy-Authorization header of each CONNECT (undefined: none sent). */
  readonly credentials: (string | undefined)[];
  readonly close: () => Promise<void>;
}

/** Options of a test proxy. */
export interface ForwardProxyOptions {
  /** Ask for these with 407 (Basic) until a CONNECT carries them. */
  readonly user?: string;
  readonly password?: string;
  /** Answer every CONNECT with this status instead of tunnelling (a proxy that refuses). */
  readonly refuseWith?: number;
}

/** Starts and, after each test, stops real forward proxies on loopback (the `proxy` package). */
export function useForwardProxies(): (options?: ForwardProxyOptions) => Promise<ForwardProxy> {
  const running: ForwardProxy[] = [];
  afterEach(async () => {
    await Promise.all(running.splice(0).map((proxy) => proxy.close()));
  });
  return async (options = {}) => {
    const proxy = await startForwardProxy(options);
    running.push(proxy);
    return proxy;
  };
}

async function startForwardProxy(options: ForwardProxyOptions): Promise<ForwardProxy> {
  const seen: string[] = [];
  const credentials: (string | undefined)[] = [];
  const server: Server = createServer();
  // Listeners added before the proxy's own see each request first.
  server.on('request', (request) => seen.push(`${request.method} ${request.url}`));
  server.on('connect', (request, socket) => {
    seen.push(`CONNECT ${request.url}`);
    credentials.push(request.headers['proxy-authorization']);
    if (options.refuseWith !== undefined) {
      socket.end(`HTTP/1.1 ${options.refuseWith} Refused by the test proxy\r\n\r\n`);
    }
  });
  if (options.refuseWith === undefined) {
    const proxy = createProxy(server);
    const expected = `Basic ${Buffer.from(`${options.user}:${options.password ?? ''}`).toString('base64')}`;
    if (options.user !== undefined) {
      proxy.authenticate = (request) => request.headers['proxy-authorization'] === expected;
    }
  }
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    urlWith: (user, password) =>
      url.replace('//', `//${encodeURIComponent(user)}:${encodeURIComponent(password)}@`),
    seen,
    credentials,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
