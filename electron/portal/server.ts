import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Fastify, { type FastifyBaseLogger, type FastifyError } from 'fastify';
import type { Logger } from 'pino';
import { codeForStatus, sendApiError } from './api-error.ts';
import { registerCheckInRoute } from './checkin-route.ts';
import { registerEventRoutes } from './event-routes.ts';
import { registerImageRoutes } from './image-route.ts';
import type { OrgConfig } from './org-config-schema.ts';
import { PortalState } from './portal-state.ts';

/** How to start the mock management portal. */
export interface PortalOptions {
  /** Address to listen on; 127.0.0.1 by default. */
  readonly host?: string;
  /** Port to listen on; 0 (the default) picks a free one. */
  readonly port?: number;
  /** Folder of the portal's files; images are served from its `images` subfolder. */
  readonly dataDir: string;
  readonly org: OrgConfig;
  /** Where request logs go; none when absent or false. */
  readonly logger?: Logger | false;
}

/** A portal that is listening. */
export interface RunningPortal {
  /** Like `http://127.0.0.1:8080`, without a trailing slash. */
  readonly url: string;
  /** Stops listening and drops open connections, downloads included. */
  close(): Promise<void>;
  /** Replaces the organisation configuration and bumps the revision. */
  setOrg(org: OrgConfig): void;
  /** The organisation's revision counter; 1 at start. */
  readonly revision: number;
  readonly org: OrgConfig;
  readonly state: PortalState;
}

/** Starts the mock management portal. */
export async function startPortal(options: PortalOptions): Promise<RunningPortal> {
  const host = options.host ?? '127.0.0.1';
  const imagesDir = join(options.dataDir, 'images');
  await mkdir(imagesDir, { recursive: true });

  // Without a logger instance Fastify logs nothing. Open downloads must not keep close() waiting.
  const loggerInstance: FastifyBaseLogger | undefined = options.logger || undefined;
  const app = Fastify({
    loggerInstance,
    forceCloseConnections: true,
    // Malformed URLs (bad percent-encoding) get the API's error body too.
    frameworkErrors: (error, _request, reply) =>
      sendApiError(reply, error.statusCode ?? 400, 'BAD_REQUEST', error.message),
  });
  const state = new PortalState();
  let current = { org: options.org, revision: 1 };
  let url = '';

  app.setErrorHandler((error: FastifyError, request, reply) => {
    const status =
      error.statusCode !== undefined && error.statusCode >= 400 ? error.statusCode : 500;
    if (status >= 500) request.log.error({ err: error }, 'request failed');
    const message = status >= 500 ? 'The portal failed to handle this request.' : error.message;
    return sendApiError(reply, status, codeForStatus(status), message);
  });
  app.setNotFoundHandler((request, reply) =>
    sendApiError(reply, 404, 'NOT_FOUND', `There is nothing at ${request.method} ${request.url}.`),
  );

  registerCheckInRoute(app, {
    state,
    imagesDir,
    current: () => current,
    baseUrl: () => url,
  });
  registerEventRoutes(app, state);
  registerImageRoutes(app, imagesDir);

  await app.listen({ host, port: options.port ?? 0 });
  url = `http://${urlHost(host)}:${(app.server.address() as AddressInfo).port}`;

  return {
    url,
    state,
    get revision() {
      return current.revision;
    },
    get org() {
      return current.org;
    },
    setOrg(org) {
      current = { org, revision: current.revision + 1 };
    },
    close: () => app.close(),
  };
}

// A wildcard listen address is not something a client can connect to.
function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
