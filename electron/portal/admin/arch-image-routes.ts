import type { FastifyInstance } from 'fastify';
import { ARCHES, type Arch } from '../../../shared/protocol.ts';
import type { GoldenImage, OrgConfig } from '../org-config-schema.ts';
import { AdminError, notFound } from './admin-error.ts';
import { entryBody } from './collection-routes.ts';
import { ARCH_NAMES, goldenImageProblems } from './entry-checks.ts';
import type { Focus } from './org-problems.ts';
import type { OrgStore } from './org-store.ts';

type ArchParams = { Params: { id: string; arch: string } };

/**
 * Registers the images of a golden image, one per architecture: POST adds one (refused when the
 * architecture has one already), PUT sets one, DELETE removes one.
 */
export function registerArchImageRoutes(app: FastifyInstance, store: OrgStore): void {
  const change = (id: string, edit: (image: GoldenImage) => GoldenImage['images']) =>
    store.change({
      build: (org) => {
        const image = findImage(org, id);
        const changed = { ...image, images: edit(image) };
        const goldenImages = org.goldenImages.map((g) => (g.id === id ? changed : g));
        const focus: Focus = { section: 'goldenImages', id: image.id, noun: 'golden image' };
        const others = org.goldenImages.filter((g) => g.id !== id);
        return {
          data: { ...org, goldenImages },
          focus,
          problems: goldenImageProblems(changed, others),
        };
      },
    });
  const answer = (result: { org: OrgConfig; changedPolicies: unknown }, id: string) => ({
    goldenImage: result.org.goldenImages.find((g) => g.id === id),
    changedPolicies: result.changedPolicies,
  });

  app.post<{ Params: { id: string } }>('/golden-images/:id/images', async (request, reply) => {
    const { arch: given, ...image } = entryBody(request.body, 'architecture image');
    const arch = archOf(given);
    const result = await change(request.params.id, (g) => {
      const present = g.images[arch];
      // A disabled entry with no link is a switched-off slot, not an image.
      if (present && (present.enabled || (present.url ?? '') !== '')) {
        throw new AdminError(
          'ARCH_IMAGE_EXISTS',
          `Golden image "${g.id}" already has an image for ${ARCH_NAMES[arch]}; a golden image holds at most one image per architecture. Replace it with PUT /api/v1/admin/golden-images/${g.id}/images/${arch}, or delete it first.`,
          [{ code: 'ARCH_IMAGE_EXISTS', path: `images.${arch}`, reason: 'already has an image' }],
        );
      }
      return { ...g.images, [arch]: image };
    });
    return reply.code(201).send(answer(result, request.params.id));
  });

  app.put<ArchParams>('/golden-images/:id/images/:arch', async (request) => {
    const arch = archOf(request.params.arch);
    const image = entryBody(request.body, 'architecture image');
    const result = await change(request.params.id, (g) => ({ ...g.images, [arch]: image }));
    return answer(result, request.params.id);
  });

  app.delete<ArchParams>('/golden-images/:id/images/:arch', async (request) => {
    const arch = archOf(request.params.arch);
    const result = await change(request.params.id, (g) => {
      if (!g.images[arch]) {
        throw new AdminError(
          'NOT_FOUND',
          `Golden image "${g.id}" has no image for ${ARCH_NAMES[arch]}; there is nothing to delete.`,
          [{ code: 'NOT_FOUND', path: `images.${arch}`, reason: 'has no image' }],
        );
      }
      const { [arch]: _removed, ...rest } = g.images;
      return rest;
    });
    return answer(result, request.params.id);
  });
}

function findImage(org: OrgConfig, id: string): GoldenImage {
  const image = org.goldenImages.find((g) => g.id === id);
  if (!image) throw notFound('golden image', id, 'golden-images');
  return image;
}

function archOf(value: unknown): Arch {
  if ((ARCHES as readonly unknown[]).includes(value)) return value as Arch;
  const message = `"${String(value)}" is not an architecture: use "arm64" (Apple silicon) or "x86_64" (Intel).`;
  throw new AdminError('BAD_REQUEST', message, [
    { code: 'BAD_REQUEST', path: 'arch', reason: 'is not an architecture', options: [...ARCHES] },
  ]);
}
