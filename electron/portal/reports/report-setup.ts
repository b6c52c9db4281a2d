import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { PortalState } from '../portal-state.ts';
import { registerReportAdminRoutes } from './report-admin-routes.ts';
import { registerReportRoute } from './report-route.ts';
import { ReportStore, type ReportLimits } from './report-store.ts';

/** Name of the folder of problem reports inside a persistent portal's data folder. */
export const REPORTS_DIR = 'reports';

/** What the problem reports need from the portal. */
export interface ReportSetupContext {
  readonly state: PortalState;
  readonly dataDir: string;
  /** Keep reports in `<dataDir>/reports` across restarts; otherwise in a temp folder until close. */
  readonly persist: boolean;
  readonly limits?: ReportLimits;
}

/** The problem reports of a portal: where they are, and the admin routes to add. */
export interface PortalReports {
  readonly dir: string;
  readonly store: ReportStore;
  /** Adds the admin routes to the admin scope, behind its token. */
  registerAdmin(admin: FastifyInstance): void;
}

/**
 * Opens the report folder and registers the device route. A portal that keeps nothing else
 * keeps no reports either: they go to a temp folder of its own, removed when it closes.
 */
export async function setupReports(
  app: FastifyInstance,
  ctx: ReportSetupContext,
): Promise<PortalReports> {
  const dir = ctx.persist
    ? join(ctx.dataDir, REPORTS_DIR)
    : await mkdtemp(join(tmpdir(), 'provisim-reports-'));
  if (!ctx.persist) {
    app.addHook('onClose', async () => {
      await rm(dir, { recursive: true, force: true });
    });
  }
  const store = await ReportStore.open(dir, ctx.limits);
  await registerReportRoute(app, ctx.state, store);
  return {
    dir,
    store,
    registerAdmin: (admin) => registerReportAdminRoutes(admin, store, ctx.state),
  };
}
