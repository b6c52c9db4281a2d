import type { FastifyInstance } from 'fastify';
import { rememberFaults, faultsOf } from './active-faults.ts';
import type { FaultSet } from './fault-set.ts';
import { registerFaultRoutes } from './fault-routes.ts';
import { registerHopRoutes, type ServeImage } from './hop-routes.ts';
import { applyRequestFaults } from './request-faults.ts';
import { applyResponseFaults } from './response-faults.ts';

/** What the portal hands to the fault machinery. */
export interface FaultHooksOptions {
  readonly faults: FaultSet;
  readonly adminToken: string | undefined;
  /** Serves an image path plainly, for the end of a redirect chain. */
  readonly serveImage: ServeImage;
}

/**
 * Picks the faults for every request and applies them: before the route (latency, reset, timeout,
 * status, HTML page, redirects) and on its answer (framing and body faults). Also registers the
 * fault API and the redirect hops. With no active fault the hooks return at once.
 */
export function installFaults(app: FastifyInstance, options: FaultHooksOptions): void {
  const { faults } = options;
  // Callback hooks, not async ones: without faults a request costs two plain calls.
  app.addHook('onRequest', (request, reply, done) => {
    if (faults.empty) return done();
    const url = request.raw.url ?? '/';
    const query = url.search(/[?#]/);
    const active = faults.match({
      path: query === -1 ? url : url.slice(0, query),
      method: request.method,
      hasRange: request.headers.range !== undefined,
    });
    if (active.length === 0) return done();
    rememberFaults(request.raw, active);
    applyRequestFaults(request, reply, active, faults).then(
      (answered) => (answered ? undefined : done()),
      (error: Error) => done(error),
    );
  });
  app.addHook('onSend', (request, reply, payload, done) => {
    const active = faultsOf(request.raw);
    if (active.length === 0) return done(null, payload);
    done(null, applyResponseFaults(request, reply, payload, active, faults));
  });
  registerFaultRoutes(app, faults, options.adminToken);
  registerHopRoutes(app, options.serveImage);
}
