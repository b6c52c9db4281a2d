import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Readable } from 'node:stream';
import rateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';
import { ERROR_SENTENCES } from '../../../shared/codes.ts';
import {
  API_PREFIX,
  REPORT_HEADERS,
  REPORT_ID_PATTERN,
  REPORT_MAX_BYTES,
  type ReportReceipt,
} from '../../../shared/protocol.ts';
import { isProvisimError } from '../../../shared/provisim-error.ts';
import { describeInvalid, sendApiError } from '../api-error.ts';
import { sendKeyMismatch } from '../client-access.ts';
import type { PortalState } from '../portal-state.ts';
import { receiveBundle } from './report-intake.ts';
import type { ReportStore } from './report-store.ts';

/** Uploads one device may start per hour: room for retries, not for a flood. */
export const REPORT_UPLOADS_PER_HOUR = 30;

/** Uploads the portal receives at once, all devices together: bounds its half-written files. */
export const REPORT_UPLOADS_AT_ONCE = 8;

const paramsSchema = z.object({ deviceId: z.uuid() });

/**
 * Registers `POST /api/v1/devices/{deviceId}/reports`: a `.tar.gz` bundle from a device that
 * holds its own license key, streamed to disk up to `REPORT_MAX_BYTES`, kept once per report id.
 */
export async function registerReportRoute(
  app: FastifyInstance,
  state: PortalState,
  store: ReportStore,
): Promise<void> {
  // The check-in route registers the plugin first; without it, this route brings its own.
  if (!app.hasDecorator('createRateLimit')) await app.register(rateLimit, { global: false });
  const hourly = app.createRateLimit({
    max: REPORT_UPLOADS_PER_HOUR,
    timeWindow: 60 * 60_000,
    keyGenerator: (request) => `report:${deviceIdOf(request)}`,
  });
  const busyDevices = new Set<string>();

  // Everything a refusal needs is in the path and headers: strangers are answered before a byte
  // of the body is read.
  const admit = async (request: FastifyRequest, reply: FastifyReply): Promise<void> => {
    const params = paramsSchema.safeParse(request.params);
    if (!params.success) {
      await sendApiError(reply, 400, 'BAD_REQUEST', describeInvalid('device id', params.error));
      return;
    }
    const licenseKey = headerOf(request, REPORT_HEADERS.licenseKey);
    if (licenseKey === undefined || !state.holdsKey(params.data.deviceId, licenseKey)) {
      await sendKeyMismatch(reply);
    } else if (!REPORT_ID_PATTERN.test(headerOf(request, REPORT_HEADERS.reportId) ?? '')) {
      await sendApiError(reply, 400, 'REPORT_INVALID', ERROR_SENTENCES.REPORT_INVALID);
    } else if (Number(request.headers['content-length']) > REPORT_MAX_BYTES) {
      // The client is told before it sends the body; what it sends anyway is not read.
      reply.header('connection', 'close');
      await sendApiError(reply, 413, 'REPORT_TOO_LARGE', ERROR_SENTENCES.REPORT_TOO_LARGE);
    }
  };

  void app.register(async (scope) => {
    // The body is the bundle, streamed to a file rather than parsed.
    scope.removeAllContentTypeParsers();
    scope.addContentTypeParser(['application/gzip', 'application/x-gzip'], (_r, payload, done) =>
      done(null, payload),
    );
    scope.post(
      `${API_PREFIX}/devices/:deviceId/reports`,
      { onRequest: admit },
      async (request, reply) => {
        const deviceId = deviceIdOf(request);
        const id = headerOf(request, REPORT_HEADERS.reportId) ?? '';
        if (busyDevices.has(deviceId)) {
          const message = `An upload of a problem report from this Mac is already under way. Wait for it to finish, then send ${id} again.`;
          return sendApiError(reply, 409, 'REPORT_IN_PROGRESS', message);
        }
        if (busyDevices.size >= REPORT_UPLOADS_AT_ONCE) {
          return sendLater(reply, 10, 'The portal is receiving other problem reports right now');
        }
        busyDevices.add(deviceId);
        try {
          const rate = await hourly(request);
          if (!rate.isAllowed && rate.isExceeded) {
            return sendLater(reply, rate.ttlInSeconds, 'This Mac sent too many reports this hour');
          }
          return await receive(request, reply, { store, deviceId, id });
        } finally {
          busyDevices.delete(deviceId);
        }
      },
    );
  });
}

async function receive(
  request: FastifyRequest,
  reply: FastifyReply,
  target: { readonly store: ReportStore; readonly deviceId: string; readonly id: string },
): Promise<FastifyReply> {
  const { store, deviceId, id } = target;
  const temp = join(store.incomingDir, `${randomUUID()}.part`);
  let sizeBytes: number;
  try {
    await store.prepare();
    sizeBytes = await receiveBundle(request.body as Readable | undefined, temp, REPORT_MAX_BYTES);
  } catch (error) {
    await rm(temp, { force: true });
    if (!isProvisimError(error)) throw error;
    // The rest of a refused body is not worth reading: close the connection instead.
    reply.header('connection', 'close');
    const status = error.code === 'REPORT_TOO_LARGE' ? 413 : 400;
    return sendApiError(reply, status, error.code, error.message);
  }
  const outcome = await store.keep(deviceId, id, temp, sizeBytes);
  const { receivedAt } = outcome.report;
  const receipt: ReportReceipt = { id, receivedAt, sizeBytes: outcome.report.sizeBytes };
  return reply.code(outcome.kind === 'stored' ? 201 : 200).send(receipt);
}

// 429 with Retry-After.
function sendLater(reply: FastifyReply, seconds: number, why: string): FastifyReply {
  const wait = Math.max(1, seconds);
  reply.header('retry-after', String(wait));
  const message = `${why}. The report is kept on this Mac: send it again in ${wait} seconds.`;
  return sendApiError(reply, 429, 'REPORT_THROTTLED', message);
}

function deviceIdOf(request: FastifyRequest): string {
  return (request.params as { deviceId: string }).deviceId;
}

function headerOf(request: FastifyRequest, name: string): string | undefined {
  const value = request.headers[name];
  return typeof value === 'string' && value.length <= 200 ? value : undefined;
}
