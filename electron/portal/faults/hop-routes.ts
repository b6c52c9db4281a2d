import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { sendApiError } from '../api-error.ts';
import { IMAGES_PATH } from '../image-file.ts';
import {
  LOOP_PATH,
  parseHop,
  REDIRECT_HOPS_PATH,
  redirectUrl,
  requestOrigin,
} from './redirect-urls.ts';

/** Serves the file at a raw image path, without faults. */
export type ServeImage = (
  request: FastifyRequest,
  reply: FastifyReply,
  path: string,
) => Promise<FastifyReply>;

/**
 * Registers the URLs that redirect faults lead to: the hops of a chain, the last of which serves
 * the file, and the second half of a loop, which leads back to where it started.
 */
export function registerHopRoutes(app: FastifyInstance, serve: ServeImage): void {
  app.route({
    method: ['GET', 'HEAD'],
    url: `${REDIRECT_HOPS_PATH}*`,
    handler: async (request, reply) => {
      const hop = parseHop(request.raw.url ?? '');
      if (!hop || !hop.target.startsWith(IMAGES_PATH) || hop.step > hop.hops) {
        return sendApiError(reply, 404, 'NOT_FOUND', 'This is not a redirect hop.');
      }
      if (hop.step === hop.hops) return serve(request, reply, hop.target);
      const origin = requestOrigin(request);
      const next = redirectUrl(origin, hop.target, hop.step + 1, hop.hops, hop.crossHost);
      return reply.code(302).header('location', next).send();
    },
  });
  app.route({
    method: ['GET', 'HEAD'],
    url: `${LOOP_PATH}/*`,
    handler: async (request, reply) => {
      const target = (request.raw.url ?? '').slice(LOOP_PATH.length);
      return reply.code(302).header('location', target).send();
    },
  });
}
