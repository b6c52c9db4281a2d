import type { FastifyInstance } from 'fastify';
import type { GoldenImageDeleted } from '../../../shared/admin-api.ts';
import type { OrgConfig } from '../org-config-schema.ts';
import { PRIMARY } from '../org-config-schema.ts';
import { AdminError, notFound } from './admin-error.ts';
import { registerCollection } from './collection-routes.ts';
import { goldenImageProblems } from './entry-checks.ts';
import type { OrgStore } from './org-store.ts';

/** Registers golden image CRUD; deleting one needs `?confirm=true` and warns about groups left without. */
export function registerGoldenImageRoutes(app: FastifyInstance, store: OrgStore): void {
  registerCollection(app, store, {
    path: '/golden-images',
    section: 'goldenImages',
    single: 'goldenImage',
    idField: 'id',
    noun: 'golden image',
    idFromName: true,
    problems: goldenImageProblems,
    customDelete: true,
  });

  app.delete<{ Params: { id: string }; Querystring: { confirm?: string } }>(
    '/golden-images/:id',
    async (request): Promise<GoldenImageDeleted> => {
      const { id } = request.params;
      const existing = store.org.goldenImages.find((g) => g.id === id);
      if (!existing) throw notFound('golden image', id, 'golden-images');
      if (request.query.confirm !== 'true') {
        const without = store.org.goldenImages.filter((g) => g.id !== id);
        const { strandedGroups } = stranded(
          { ...store.org, goldenImages: without },
          existing.assignedTo,
        );
        const also =
          strandedGroups.length > 0
            ? ` The groups ${quoteAll(strandedGroups)} are restricted to corporate VMs: their users could not create any VM until another golden image is assigned to them.`
            : '';
        throw new AdminError(
          'CONFIRMATION_REQUIRED',
          `Deleting golden image "${id}" cannot be undone; to get it back it must be created again.${also} Send the request again with ?confirm=true to delete it.`,
          [{ code: 'CONFIRMATION_REQUIRED', path: '', reason: 'deleting cannot be undone' }],
          { unassignedGroups: existing.assignedTo, strandedGroups },
        );
      }
      const result = await store.change({
        build: (org) => {
          if (!org.goldenImages.some((g) => g.id === id)) {
            throw notFound('golden image', id, 'golden-images');
          }
          return { data: { ...org, goldenImages: org.goldenImages.filter((g) => g.id !== id) } };
        },
      });
      const unassignedGroups = result.before.goldenImages.find((g) => g.id === id)!.assignedTo;
      return {
        deleted: id,
        unassignedGroups,
        ...stranded(result.org, unassignedGroups),
        changedPolicies: result.changedPolicies,
      };
    },
  );
}

/**
 * Of the groups left without a golden image, those restricted to corporate VMs (whose users can
 * then create no VM at all), and a warning naming them; null when there are none.
 */
export function stranded(
  org: OrgConfig,
  groups: readonly string[],
): { strandedGroups: string[]; warning: string | null } {
  const corporateOnly = (group: string): boolean =>
    !org.goldenImages.some((g) => g.assignedTo.includes(group)) &&
    org.policies.some((p) => p.appliesTo.includes(group) && p.restrictToCorporateVms);
  const strandedGroups = groups.filter(corporateOnly);
  const warning =
    strandedGroups.length === 0
      ? null
      : `Users in ${quoteAll(strandedGroups)} are restricted to corporate VMs and cannot create VMs until another golden image is assigned to ${strandedGroups.length === 1 ? 'that group' : 'those groups'} (POST /api/v1/admin/assignments).`;
  return { strandedGroups, warning };
}

function quoteAll(groups: readonly string[]): string {
  return groups.map((g) => (g === PRIMARY ? 'the primary key users' : `"${g}"`)).join(', ');
}
