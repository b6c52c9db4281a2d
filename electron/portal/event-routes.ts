import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { API_PREFIX, eventBatchSchema } from '../../shared/protocol.ts';
import { redactLicenseKey } from '../../shared/redact.ts';
import { bearerGuard } from './admin/admin-token.ts';
import { describeInvalid, sendApiError } from './api-error.ts';
import { licenseKeyIn, sendKeyMismatch } from './client-access.ts';
import type { PortalState } from './portal-state.ts';

const deviceParamsSchema = z.object({ deviceId: z.uuid() });
const eventQuerySchema = z.object({
  deviceId: z.string().min(1).optional(),
  type: z.string().min(1).optional(),
});

/**
 * Registers event intake, open to the device's own license key only, and the device and event
 * lists, open to the admin token only.
 */
export function registerEventRoutes(
  app: FastifyInstance,
  state: PortalState,
  adminToken: string | undefined,
): void {
  app.post(`${API_PREFIX}/devices/:deviceId/events`, async (request, reply) => {
    const params = deviceParamsSchema.safeParse(request.params);
    if (!params.success) {
      return sendApiError(reply, 400, 'BAD_REQUEST', describeInvalid('device id', params.error));
    }
    const { deviceId } = params.data;
    const licenseKey = licenseKeyIn(request.body);
    if (licenseKey === undefined || !state.holdsKey(deviceId, licenseKey)) {
      return sendKeyMismatch(reply);
    }
    const batch = eventBatchSchema.safeParse(request.body);
    if (!batch.success) {
      return sendApiError(reply, 400, 'BAD_REQUEST', describeInvalid('event batch', batch.error));
    }
    const accepted = state.recordEvents(deviceId, batch.data.events);
    return reply.code(202).send({ accepted });
  });

  // Events hold image URLs, which may carry pre-signed tokens, and say who has which Mac.
  const onRequest = bearerGuard(adminToken, 'device and event lists', 'provisim-admin');

  // Whole keys stay in the license key list; device lists mask them, as the fleet view does.
  app.get(`${API_PREFIX}/devices`, { onRequest }, async () => ({
    devices: state.devices().map((device) => ({
      ...device,
      licenseKey: device.licenseKey === null ? null : redactLicenseKey(device.licenseKey),
    })),
  }));

  app.get(`${API_PREFIX}/events`, { onRequest }, async (request, reply) => {
    const query = eventQuerySchema.safeParse(request.query);
    if (!query.success) {
      return sendApiError(reply, 400, 'BAD_REQUEST', describeInvalid('event query', query.error));
    }
    return { events: state.events(query.data) };
  });
}
