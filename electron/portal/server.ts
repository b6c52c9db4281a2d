import { mkdir, rm } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import { ProvisimError } from '../../shared/provisim-error.ts';
import { registerAdminRoutes } from './admin/admin-routes.ts';
import { registerAdminPages } from './admin-pages.ts';
import { openPortalData } from './admin/portal-data.ts';
import { installErrorHandlers, sendApiError } from './api-error.ts';
import { registerCheckInRoute } from './checkin-route.ts';
import { registerEventRoutes } from './event-routes.ts';
import { admitInitialFaults } from './faults/admit-fault.ts';
import { FaultSet } from './faults/fault-set.ts';
import { setupFleet } from './fleet/fleet-setup.ts';
import { installFaults } from './faults/install-faults.ts';
import { otherArchPath } from './faults/other-arch.ts';
import { downSwitch, type DownSwitch } from './faults/service-down.ts';
import { registerImageRoutes, sendImageFile } from './image-route.ts';
import { setupReports } from './reports/report-setup.ts';
import type { OrgConfig } from './org-config-schema.ts';
import type { PortalOptions, RunningPortal } from './portal-types.ts';
import {
  certificateSwitch,
  preparePortalTls,
  wantedCertificate,
  type CertificateSwitch,
} from './tls/portal-tls.ts';

export type { PortalFaults, PortalLimits, PortalOptions, RunningPortal } from './portal-types.ts';

/** Starts the mock management portal. */
export async function startPortal(options: PortalOptions): Promise<RunningPortal> {
  const host = options.host ?? '127.0.0.1';
  const imagesDir = join(options.dataDir, 'images');
  await mkdir(imagesDir, { recursive: true });
  const data = await openPortalData(options);
  const { store, state } = data;
  // Checked before listening, so that a bad spec leaves no server behind.
  const initialFaults = admitInitialFaults(
    [...(store.org.faults ?? []), ...(options.faults ?? [])],
    options.https === true,
  );
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
  let url = '';
  let down: DownSwitch | undefined = undefined;
  const certificates: CertificateSwitch | undefined = tls && certificateSwitch(app.server, tls.pki);
  const setOrg = (org: OrgConfig): void => store.replace(org);
  const faults = new FaultSet(options.faultSeed ?? 1, options.https === true, {
    changed: () => {
      void down?.set(faults.has('down'));
      certificates?.set(wantedCertificate(faults.list()));
    },
    fired: (spec) => {
      const { org } = store;
      if (spec.type === 'bump_revision') return setOrg(org);
      const licenseKeys = org.licenseKeys.map((k) =>
        k.key === spec.licenseKey ? { ...k, state: 'revoked' as const } : k,
      );
      setOrg({ ...org, licenseKeys });
    },
  });

  installErrorHandlers(app);

  installFaults(app, {
    faults,
    adminToken: data.admin?.token,
    serveImage: (request, reply, path) => sendImageFile(request, reply, imagesDir, path),
  });
  await registerCheckInRoute(app, {
    state,
    imagesDir,
    current: () => ({ org: store.org, revision: (id) => store.revisionOf(id) }),
    baseUrl: () => options.publicUrl ?? url,
    refusedCheckIns: options.limits?.refusedCheckIns,
  });
  registerEventRoutes(app, state, data.admin?.token);
  const reports = await setupReports(app, {
    state,
    dataDir: options.dataDir,
    persist: options.persist === true,
  });
  const fleet = setupFleet(app, {
    state,
    org: () => store.org,
    dataDir: options.dataDir,
    imagesDir,
    baseUrl: () => options.publicUrl ?? url,
    options: options.fleet,
  });
  registerAdminRoutes(app, {
    store,
    state,
    adminToken: data.admin?.token,
    more: (admin) => {
      fleet.registerAdmin(admin);
      reports.registerAdmin(admin);
    },
  });
  registerImageRoutes(app, imagesDir, {
    otherArchPath: (requestUrl) => otherArchPath(store.org, options.publicUrl ?? url, requestUrl),
  });

  registerAdminPages(app);
  try {
    await app.listen({ host, port: options.port ?? 0 });
  } catch (error) {
    await app.close();
    // A token made for a portal that never served was never shown: the next start makes its own.
    const made = data.admin?.generated ? data.admin.file : undefined;
    if (made) await rm(made, { force: true });
    throw listenError(error, host, options.port ?? 0);
  }
  const { port } = app.server.address() as AddressInfo;
  url = `${tls ? 'https' : 'http'}://${urlHost(host)}:${port}`;
  down = downSwitch(app.server, host, port);
  for (const spec of initialFaults) faults.add(spec);
  await down.set(faults.has('down'));

  return {
    url,
    caCertPath: tls?.caCertPath,
    state,
    adminToken: data.admin,
    persistence: data.persistence,
    fleet: fleet.hub,
    get revision() {
      return store.revision;
    },
    revisionOf: (policyId) => store.revisionOf(policyId),
    get org() {
      return store.org;
    },
    setOrg,
    faults: {
      list: () => faults.list(),
      add: (spec) => faults.add(spec),
      remove: (id) => faults.remove(id),
      clear: () => faults.clear(),
    },
    close: async () => {
      await app.close();
      await data.flush();
    },
  };
}

// The address is taken or not ours: a sentence to act on, not a stack trace.
function listenError(error: unknown, host: string, port: number): unknown {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') {
    return new ProvisimError('USAGE', {
      message: `Port ${port} on ${host} is already in use. Stop what listens there, or give another --port (0 picks a free one).`,
      cause: error,
    });
  }
  if (code === 'EACCES' || code === 'EADDRNOTAVAIL') {
    return new ProvisimError('USAGE', {
      message: `The portal cannot listen on ${host}:${port} (${code}). Give an address of this machine and a port above 1023.`,
      cause: error,
    });
  }
  return error;
}

// A wildcard listen address is not something a client can connect to.
function urlHost(host: string): string {
  if (host === '0.0.0.0') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
