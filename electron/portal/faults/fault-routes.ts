import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { ZodError } from 'zod';
import type { FaultSpec } from '../../../shared/faults.ts';
import { API_PREFIX } from '../../../shared/protocol.ts';
import { bearerGuard } from '../admin/admin-token.ts';
import { sendApiError, sendInvalid } from '../api-error.ts';
import { FaultConflict } from './admit-fault.ts';
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
    let spec: FaultSpec;
    try {
      spec = faults.admit(request.body);
    } catch (error) {
      return refuse(reply, error);
    }
    if (spec.type === 'down') {
      // Going down drops every connection, this one's too: the answer goes out first.
      const down = { ...spec, id: spec.id ?? `down-${randomUUID().slice(0, 8)}` };
      reply.raw.once('finish', () => faults.add(down));
      return reply.code(201).send({ id: down.id });
    }
    return reply.code(201).send({ id: faults.add(spec) });
  });

  app.delete(FAULTS_PATH, opts, async (_request, reply) => {
    faults.clear();
    return reply.code(204).send();
  });

  app.delete<{ Params: { id: string } }>(`${FAULTS_PATH}/:id`, opts, async (request, reply) => {
    if (faults.remove(request.params.id)) return reply.code(204).send();
    const message = `There is no fault with id "${request.params.id}".`;
    return sendApiError(reply, 404, 'NOT_FOUND', message, [
      { code: 'NOT_FOUND', path: 'id', reason: 'is not an active fault' },
    ]);
  });
}

// The fault API's answer to a spec that admitFault refused.
function refuse(reply: FastifyReply, error: unknown): FastifyReply {
  if (error instanceof ZodError) return sendInvalid(reply, 'fault', error);
  if (error instanceof FaultConflict) {
    return sendApiError(reply, 409, 'CONFLICT', error.message, [
      {
        code: 'CONFLICT',
        path: error.field,
        reason: error.field === 'id' ? 'is taken by an active fault' : 'needs a portal on HTTPS',
      },
    ]);
  }
  throw error;
}
