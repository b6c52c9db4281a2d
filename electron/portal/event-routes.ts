import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { API_PREFIX, eventBatchSchema } from '../../shared/protocol.ts';
import { describeInvalid, sendApiError } from './api-error.ts';
import type { PortalState } from './portal-state.ts';
import { redactLicenseKey } from '../../shared/redact.ts';

const deviceParamsSchema = z.object({ deviceId: z.uuid() });
const eventQuerySchema = z.object({
  deviceId: z.string().min(1).optional(),
  type: z.string().min(1).optional(),
});

/** Registers event intake and the read-only device and event lists. */
export function registerEventRoutes(app: FastifyInstance, state: PortalState): void {
  app.post(`${API_PREFIX}/devices/:deviceId/events`, async (request, reply) => {
    const params = deviceParamsSchema.safeParse(request.params);
    if (!params.success) {
      return sendApiError(reply, 400, 'BAD_REQUEST', describeInvalid('device id', params.error));
    }
    const batch = eventBatchSchema.safeParse(request.body);
    if (!batch.success) {
      return sendApiError(reply, 400, 'BAD_REQUEST', describeInvalid('event batch', batch.error));
    }
    const accepted = state.recordEvents(params.data.deviceId, batch.data.events);
    return reply.code(202).send({ accepted });
  });

  // The list is readable without credentials: never hand out whole license keys.
  app.get(`${API_PREFIX}/devices`, async () => ({
    devices: state.devices().map((device) => ({
      ...device,
      licenseKey: device.licenseKey === null ? null : redactLicenseKey(device.licenseKey),
    })),
  }));

  app.get(`${API_PREFIX}/events`, async (request, reply) => {
    const query = eventQuerySchema.safeParse(request.query);
    if (!query.success) {
      return sendApiError(reply, 400, 'BAD_REQUEST', describeInvalid('event query', query.error));
    }
    return { events: state.events(query.data) };
  });
}
