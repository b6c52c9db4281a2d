import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type {
  FleetAnswer,
  FleetDevice,
  FleetEventsAnswer,
  ImageVersions,
  ImageVersionsAnswer,
  RetrievalAnswer,
} from '../../../shared/admin-fleet.ts';
import type { RolloutsAnswer, RolloutSummary } from '../../../shared/admin-rollout.ts';
import { AdminError } from '../admin/admin-error.ts';
import { describeInvalid, zodProblems } from '../api-error.ts';
import type { PortalState } from '../portal-state.ts';
import type { AdminStream } from './admin-stream.ts';
import { pageOfDevices, pageOfEvents, parseDeviceQuery, parseEventQuery } from './fleet-query.ts';
import type { RetrievalBoard } from './retrieval-board.ts';

/** What the fleet routes work on. */
export interface FleetRouteContext {
  readonly state: PortalState;
  readonly board: RetrievalBoard;
  readonly stream: AdminStream;
  readonly devices: () => readonly FleetDevice[];
  readonly rollouts: () => readonly RolloutSummary[];
  readonly imageVersions: () => readonly ImageVersions[];
}

const retrievalSchema = z.strictObject({
  deviceIds: z.array(z.string().min(1).max(100)).min(1).max(1_000),
});

/**
 * Registers the fleet view on the admin scope: `GET /devices` and `GET /events` (paged and
 * filtered), `GET /rollouts`, `GET /image-versions`, the server-sent `GET /stream`, and
 * `POST /devices/retrieve-policy`.
 */
export function registerFleetRoutes(admin: FastifyInstance, ctx: FleetRouteContext): void {
  admin.get('/devices', async (request): Promise<FleetAnswer> => {
    const query = parseDeviceQuery(request.query);
    return pageOfDevices(ctx.devices(), query);
  });

  admin.get('/events', async (request): Promise<FleetEventsAnswer> => {
    const query = parseEventQuery(request.query);
    const { deviceId, type } = query;
    return pageOfEvents(ctx.state.events({ deviceId, type }), query);
  });

  admin.get('/rollouts', async (): Promise<RolloutsAnswer> => ({ rollouts: ctx.rollouts() }));

  admin.get('/image-versions', async (): Promise<ImageVersionsAnswer> => ({
    images: ctx.imageVersions(),
  }));

  admin.get('/stream', (_request, reply) => {
    reply.hijack();
    ctx.stream.attach(reply.raw);
  });

  admin.post('/devices/retrieve-policy', async (request): Promise<RetrievalAnswer> => {
    const body = retrievalSchema.safeParse(request.body);
    if (!body.success) {
      throw new AdminError(
        'BAD_REQUEST',
        describeInvalid('retrieval request', body.error),
        zodProblems(body.error),
      );
    }
    const ids = [...new Set(body.data.deviceIds)];
    const unknown = ids.filter((id) => !ctx.state.device(id)?.lastCheckInAt);
    if (unknown.length > 0) {
      throw new AdminError(
        'NOT_FOUND',
        `The portal has never heard from ${unknown.map((id) => `"${id}"`).join(', ')}. GET /api/v1/admin/devices lists the devices that checked in.`,
      );
    }
    const results = ids.map((deviceId) => ({ deviceId, state: ctx.board.request(deviceId).state }));
    ctx.stream.changed();
    return { results };
  });
}
