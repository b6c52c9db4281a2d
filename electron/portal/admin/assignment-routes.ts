import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { describeInvalid, zodProblems } from '../api-error.ts';
import { AdminError, notFound } from './admin-error.ts';
import { entryBody } from './collection-routes.ts';
import { stranded } from './golden-image-routes.ts';
import type { OrgStore } from './org-store.ts';

const assignmentSchema = z.strictObject({
  group: z.string().min(1),
  goldenImageId: z.string().min(1),
});

/**
 * Registers the assignments of golden images to groups (`primary` for the users of the primary
 * key): list, assign (a group has at most one golden image) and unassign.
 */
export function registerAssignmentRoutes(app: FastifyInstance, store: OrgStore): void {
  app.get('/assignments', async () => ({
    assignments: store.org.goldenImages.flatMap((image) =>
      image.assignedTo.map((group) => ({ group, goldenImageId: image.id })),
    ),
  }));

  app.post('/assignments', async (request, reply) => {
    const parsed = assignmentSchema.safeParse(entryBody(request.body, 'assignment'));
    if (!parsed.success) {
      const message = describeInvalid('assignment', parsed.error);
      throw new AdminError('BAD_REQUEST', message, zodProblems(parsed.error));
    }
    const { group, goldenImageId } = parsed.data;
    const current = store.org.goldenImages.find((g) => g.id === goldenImageId);
    if (current?.assignedTo.includes(group)) {
      return reply.code(200).send({ assignment: parsed.data, changedPolicies: [] });
    }
    const result = await store.change({
      build: (org) => {
        if (!org.goldenImages.some((g) => g.id === goldenImageId)) {
          throw notFound('golden image', goldenImageId, 'golden-images');
        }
        const goldenImages = org.goldenImages.map((g) =>
          g.id === goldenImageId ? { ...g, assignedTo: [...g.assignedTo, group] } : g,
        );
        const focus = { section: 'goldenImages', id: goldenImageId, noun: 'golden image' } as const;
        return { data: { ...org, goldenImages }, focus };
      },
    });
    return reply
      .code(201)
      .send({ assignment: parsed.data, changedPolicies: result.changedPolicies });
  });

  app.delete<{ Params: { group: string } }>('/assignments/:group', async (request) => {
    const { group } = request.params;
    const result = await store.change({
      build: (org) => {
        if (!org.goldenImages.some((g) => g.assignedTo.includes(group))) {
          const message = `Group "${group}" has no golden image assigned; there is nothing to remove.`;
          throw new AdminError('NOT_FOUND', message, [
            { code: 'NOT_FOUND', path: 'group', reason: 'has no golden image' },
          ]);
        }
        const goldenImages = org.goldenImages.map((g) => ({
          ...g,
          assignedTo: g.assignedTo.filter((t) => t !== group),
        }));
        return { data: { ...org, goldenImages } };
      },
    });
    const goldenImageId = result.before.goldenImages.find((g) => g.assignedTo.includes(group))!.id;
    return {
      unassigned: { group, goldenImageId },
      ...stranded(result.org, [group]),
      changedPolicies: result.changedPolicies,
    };
  });
}
