import type { FastifyInstance, FastifyReply } from 'fastify';
import { z } from 'zod';
import { ERROR_SENTENCES } from '../../../shared/codes.ts';
import { API_PREFIX } from '../../../shared/protocol.ts';
import { describeInvalid, sendApiError } from '../api-error.ts';
import type { OrgConfig } from '../org-config-schema.ts';
import type { PortalState } from '../portal-state.ts';
import type { RetrievalBoard } from './retrieval-board.ts';

/** What the command routes read. */
export interface CommandContext {
  readonly state: PortalState;
  readonly board: RetrievalBoard;
  readonly org: () => OrgConfig;
}

const paramsSchema = z.object({ deviceId: z.uuid(), id: z.string().min(1).max(100).optional() });
const querySchema = z.object({ licenseKey: z.string().min(1).max(200) });

/**
 * Registers the retrieval channel of the client API: the long-poll
 * `GET /api/v1/devices/{deviceId}/commands` and `POST …/commands/{id}/ack`, keyed by license key.
 */
export function registerCommandRoutes(app: FastifyInstance, ctx: CommandContext): void {
  app.get(`${API_PREFIX}/devices/:deviceId/commands`, async (request, reply) => {
    const deviceId = checkCaller(request.params, request.query, ctx, reply);
    if (deviceId === undefined) return reply;
    // The response closes early only when the agent hangs up; after an answer the board ignores it.
    const closed = new Promise<void>((resolve) => reply.raw.once('close', resolve));
    const command = await ctx.board.poll(deviceId, closed);
    reply.header('cache-control', 'no-store');
    return command ? reply.code(200).send(command) : reply.code(204).send();
  });

  app.post(`${API_PREFIX}/devices/:deviceId/commands/:id/ack`, async (request, reply) => {
    const deviceId = checkCaller(request.params, request.query, ctx, reply);
    if (deviceId === undefined) return reply;
    const { id } = paramsSchema.parse(request.params);
    const retrieval = ctx.board.find(deviceId, id ?? '');
    if (!retrieval) {
      const message = `The portal has no command ${id} for this device: it was replaced by a newer one or the portal restarted. Nothing needs to be done.`;
      return sendApiError(reply, 404, 'NOT_FOUND', message);
    }
    const checkedInAt = ctx.state.device(deviceId)?.lastCheckInAt ?? '';
    if (Date.parse(checkedInAt) < Date.parse(retrieval.requestedAt) || checkedInAt === '') {
      const message = `The device has not checked in since the portal asked it to retrieve its policy (${retrieval.requestedAt}). Check in first (POST ${API_PREFIX}/checkin), then acknowledge.`;
      return sendApiError(reply, 409, 'CONFLICT', message);
    }
    ctx.board.acknowledge(deviceId, id ?? '');
    return reply.code(204).send();
  });
}

// The device id when the caller may use the channel; otherwise answers the refusal.
function checkCaller(
  params: unknown,
  query: unknown,
  ctx: CommandContext,
  reply: FastifyReply,
): string | undefined {
  const path = paramsSchema.safeParse(params);
  if (!path.success) {
    void sendApiError(reply, 400, 'BAD_REQUEST', describeInvalid('device id', path.error));
    return undefined;
  }
  const key = querySchema.safeParse(query);
  if (!key.success) {
    void sendApiError(reply, 400, 'BAD_REQUEST', describeInvalid('license key', key.error));
    return undefined;
  }
  const { licenseKey } = key.data;
  const entry = ctx.org().licenseKeys.find((k) => k.key === licenseKey);
  if (!entry || entry.state !== 'active') {
    const code = !entry
      ? 'LICENSE_UNKNOWN'
      : entry.state === 'expired'
        ? 'LICENSE_EXPIRED'
        : 'LICENSE_REVOKED';
    void sendApiError(reply, code === 'LICENSE_UNKNOWN' ? 401 : 403, code, ERROR_SENTENCES[code]);
    return undefined;
  }
  const { deviceId } = path.data;
  if (ctx.state.device(deviceId)?.licenseKey !== licenseKey) {
    const message = `The device ${deviceId} has not checked in with this license key. Check in first (POST ${API_PREFIX}/checkin), then open the channel.`;
    void sendApiError(reply, 409, 'CONFLICT', message);
    return undefined;
  }
  return deviceId;
}
