import type { FastifyError, FastifyInstance } from 'fastify';
import { ADMIN_PREFIX, type AdminOverview } from '../../../shared/admin-api.ts';
import type { PortalState } from '../portal-state.ts';
import { AdminError, sendAdminError } from './admin-error.ts';
import { bearerGuard } from './admin-token.ts';
import { registerArchImageRoutes } from './arch-image-routes.ts';
import { registerAssignmentRoutes } from './assignment-routes.ts';
import { registerGoldenImageRoutes } from './golden-image-routes.ts';
import { registerOrgCollections } from './org-collections.ts';
import type { OrgStore } from './org-store.ts';
import { policyHolders } from './policy-revisions.ts';

/** What the admin API works on. */
export interface AdminContext {
  readonly store: OrgStore;
  readonly state: PortalState;
  /** The bearer token that opens it; every call is refused with 403 without one. */
  readonly adminToken: string | undefined;
  /** Registers more admin routes (the fleet features) behind the same token and error body. */
  readonly more?: (admin: FastifyInstance) => void;
}

/**
 * Registers the admin API under `/api/v1/admin`: the organisation's collections, assignments,
 * the images of each golden image, and an overview with the revision of every policy.
 */
export function registerAdminRoutes(app: FastifyInstance, ctx: AdminContext): void {
  void app.register(
    async (admin) => {
      admin.addHook('onRequest', bearerGuard(ctx.adminToken, 'admin API', 'provisim-admin'));
      // curl users often send the JSON content type on a DELETE too: an empty body is no body.
      const json = admin.getDefaultJsonParser('error', 'error');
      admin.removeContentTypeParser('application/json');
      admin.addContentTypeParser(
        'application/json',
        { parseAs: 'string' },
        (request, body, done) => {
          const text = body.toString();
          if (text === '') done(null, undefined);
          else json(request, text, done);
        },
      );
      admin.setErrorHandler((error: FastifyError | AdminError, _request, reply) => {
        if (error instanceof AdminError) return sendAdminError(reply, error);
        // Anything else (bad JSON, a bug) goes to the portal's own error handler.
        throw error;
      });

      admin.get('/overview', async (): Promise<AdminOverview> => overview(ctx));
      registerOrgCollections(admin, ctx.store);
      registerGoldenImageRoutes(admin, ctx.store);
      registerArchImageRoutes(admin, ctx.store);
      registerAssignmentRoutes(admin, ctx.store);
      ctx.more?.(admin);
    },
    { prefix: ADMIN_PREFIX },
  );
}

function overview({ store, state }: AdminContext): AdminOverview {
  const { org } = store;
  return {
    revision: store.revision,
    counts: {
      licenseKeys: org.licenseKeys.length,
      userGroups: org.userGroups.length,
      goldenImages: org.goldenImages.length,
      assignments: org.goldenImages.reduce((n, g) => n + g.assignedTo.length, 0),
      policies: org.policies.length,
      configurationProfiles: org.configurationProfiles.length,
      devices: state.devices().length,
      events: state.events().length,
    },
    policies: [...policyHolders(org)].map(([id, licenseKeys]) => ({
      id,
      revision: store.revisionOf(id),
      licenseKeys,
    })),
  };
}
