import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Fastify, { type FastifyBaseLogger, type FastifyError } from 'fastify';
import type { Logger } from 'pino';
import { faultSpecSchema, type FaultSpec, type FaultSpecInput } from '../../shared/faults.ts';
import { codeForStatus, sendApiError } from './api-error.ts';
import { registerCheckInRoute } from './checkin-route.ts';
import { registerEventRoutes } from './event-routes.ts';
import { FaultSet } from './faults/fault-set.ts';
import { installFaults } from './faults/install-faults.ts';
import { otherArchPath } from './faults/other-arch.ts';
import { downSwitch, type DownSwitch } from './faults/service-down.ts';
import { registerImageRoutes, sendImageFile } from './image-route.ts';
import type { OrgConfig } from './org-config-schema.ts';
import { PortalState } from './portal-state.ts';
import {
  certificateSwitch,
  preparePortalTls,
  wantedCertificate,
  type CertificateSwitch,
} from './tls/portal-tls.ts';

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
  /** Faults active from the start, after those of the org configuration. */
  readonly faults?: readonly FaultSpecInput[];
  /** Seed of the generator behind toxicity, jitter and slice sizes; 1 by default. */
  readonly faultSeed?: number;
  /** Token that opens the fault API (`/api/v1/faults`); the API answers 403 without one. */
  readonly adminToken?: string;
  /**
   * Serves HTTPS with a test CA generated at start (its certificate goes to
   * `<dataDir>/tls/ca-cert.pem`), which `tls` faults need; plain HTTP by default.
   */
  readonly https?: boolean;
}

/** The active faults of a running portal. */
export interface PortalFaults {
  /** The active faults with their ids. */
  list(): FaultSpec[];
  /** Checks and adds a fault (throws on a bad spec or a taken id); returns its id. */
  add(spec: FaultSpecInput): string;
  /** Removes a fault; false when there was none with that id. */
  remove(id: string): boolean;
  /** Removes every fault. */
  clear(): void;
}

/** A portal that is listening. */
export interface RunningPortal {
  /** Like `http://127.0.0.1:8080` (`https://` with `https`), without a trailing slash. */
  readonly url: string;
  /** The CA certificate (PEM) that agents must trust, with `https`; undefined for plain HTTP. */
  readonly caCertPath?: string;
  /** Stops listening and drops open connections, downloads included. */
  close(): Promise<void>;
  /** Replaces the organisation configuration and bumps the revision. */
  setOrg(org: OrgConfig): void;
  /** The organisation's revision counter; 1 at start. */
  readonly revision: number;
  readonly org: OrgConfig;
  readonly state: PortalState;
  readonly faults: PortalFaults;
}

/** Starts the mock management portal. */
export async function startPortal(options: PortalOptions): Promise<RunningPortal> {
  const host = options.host ?? '127.0.0.1';
  const imagesDir = join(options.dataDir, 'images');
  // Checked before listening, so that a bad spec leaves no server behind.
  const initialFaults = [...(options.org.faults ?? []), ...(options.faults ?? [])].map((spec) =>
    faultSpecSchema.parse(spec),
  );
  const unsupported = (spec: FaultSpec): string | undefined =>
    spec.type === 'tls' && options.https !== true ? TLS_NEEDS_HTTPS : undefined;
  for (const reason of initialFaults.map(unsupported)) if (reason) throw new Error(reason);
  await mkdir(imagesDir, { recursive: true });
  const tls = options.https ? await preparePortalTls(options.dataDir, host) : undefined;

  // Without a logger instance Fastify logs nothing. Open downloads must not keep close() waiting.
  const loggerInstance: FastifyBaseLogger | undefined = options.logger || undefined;
  const app = Fastify({
    loggerInstance,
    forceCloseConnections: true,
    https: tls ? { key: tls.pki.servers.valid.keyPem, cert: tls.pki.servers.valid.certPem } : null,
    // Malformed URLs (bad percent-encoding) get the API's error body too.
    frameworkErrors: (error, _request, reply) =>
      sendApiError(reply, error.statusCode ?? 400, 'BAD_REQUEST', error.message),
  });
  const state = new PortalState();
  let current = { org: options.org, revision: 1 };
  let url = '';
  let down: DownSwitch | undefined = undefined;
  const certificates: CertificateSwitch | undefined = tls && certificateSwitch(app.server, tls.pki);
  const setOrg = (org: OrgConfig): void => {
    current = { org, revision: current.revision + 1 };
  };
  const faults = new FaultSet(options.faultSeed ?? 1, {
    changed: () => {
      void down?.set(faults.has('down'));
      certificates?.set(wantedCertificate(faults.list()));
    },
    unsupported,
    fired: (spec) => {
      const { org } = current;
      if (spec.type === 'bump_revision') return setOrg(org);
      const licenseKeys = org.licenseKeys.map((k) =>
        k.key === spec.licenseKey ? { ...k, state: 'revoked' as const } : k,
      );
      setOrg({ ...org, licenseKeys });
    },
  });

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

  installFaults(app, {
    faults,
    adminToken: options.adminToken,
    serveImage: (request, reply, path) => sendImageFile(request, reply, imagesDir, path),
  });
  registerCheckInRoute(app, {
    state,
    imagesDir,
    current: () => current,
    baseUrl: () => url,
  });
  registerEventRoutes(app, state);
  registerImageRoutes(app, imagesDir, {
    otherArchPath: (requestUrl) => otherArchPath(current.org, url, requestUrl),
  });

  await app.listen({ host, port: options.port ?? 0 });
  const { port } = app.server.address() as AddressInfo;
  url = `${tls ? 'https' : 'http'}://${urlHost(host)}:${port}`;
  down = downSwitch(app.server, host, port);
  for (const spec of initialFaults) faults.add(spec);
  await down.set(faults.has('down'));

  return {
    url,
    caCertPath: tls?.caCertPath,
    state,
    get revision() {
      return current.revision;
    },
    get org() {
      return current.org;
    },
    setOrg,
    faults: {
      list: () => faults.list(),
      add: (spec) => faults.add(faultSpecSchema.parse(spec)),
      remove: (id) => faults.remove(id),
      clear: () => faults.clear(),
    },
    close: () => app.close(),
  };
}

const TLS_NEEDS_HTTPS =
  'The portal must be started with HTTPS (startPortal({ https: true }) or provisim portal --https) for a tls fault; this one serves plain HTTP.';

// A wildcard listen address is not something a client can connect to.
function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
