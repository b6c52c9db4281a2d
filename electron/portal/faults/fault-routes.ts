import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { faultSpecSchema } from '../../../shared/faults.ts';
import { API_PREFIX } from '../../../shared/protocol.ts';
import { bearerGuard } from '../admin/admin-token.ts';
import { describeInvalid, sendApiError } from '../api-error.ts';
import type { FaultSet } from './fault-set.ts';

/** Path of the fault API. */
export const FAULTS_PATH = `${API_PREFIX}/faults`;

/**
 * Registers the fault API (list, add, remove one, remove all), open to `Authorization: Bearer
 * <adminToken>` only; without a configured token every call is refused with 403.
 */
export function registerFaultRoutes(
  app: FastifyInstance,
  faults: FaultSet,
  adminToken: string | undefined,
): void {
  const guard = bearerGuard(adminToken, 'fault API', 'provisim-faults');
  const opts = { onRequest: guard };

  app.get(FAULTS_PATH, opts, async () => ({ faults: faults.status() }));

  app.post(FAULTS_PATH, opts, async (request, reply) => {
    const parsed = faultSpecSchema.safeParse(request.body);
    if (!parsed.success) {
      return sendApiError(reply, 400, 'BAD_REQUEST', describeInvalid('fault', parsed.error));
    }
    const unsupported = faults.unsupported(parsed.data);
    if (unsupported !== undefined) return sendApiError(reply, 409, 'CONFLICT', unsupported);
    if (parsed.data.id !== undefined && faults.list().some((f) => f.id === parsed.data.id)) {
      const message = `There is already a fault with id "${parsed.data.id}".`;
      return sendApiError(reply, 409, 'CONFLICT', message);
    }
    if (parsed.data.type === 'down') {
      // Going down drops every connection, this one's too: the answer goes out first.
      const spec = { ...parsed.data, id: parsed.data.id ?? `down-${randomUUID().slice(0, 8)}` };
      reply.raw.once('finish', () => faults.add(spec));
      return reply.code(201).send({ id: spec.id });
    }
    return reply.code(201).send({ id: faults.add(parsed.data) });
  });

  app.delete(FAULTS_PATH, opts, async (_request, reply) => {
    faults.clear();
    return reply.code(204).send();
  });

  app.delete<{ Params: { id: string } }>(`${FAULTS_PATH}/:id`, opts, async (request, reply) => {
    if (faults.remove(request.params.id)) return reply.code(204).send();
    const message = `There is no fault with id "${request.params.id}".`;
    return sendApiError(reply, 404, 'NOT_FOUND', message);
  });
}
