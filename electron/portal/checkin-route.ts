import type { FastifyInstance } from 'fastify';
import { ERROR_SENTENCES } from '../../shared/codes.ts';
import { API_PREFIX, checkInRequestSchema, type CheckInResponse } from '../../shared/protocol.ts';
import { isProvisimError } from '../../shared/provisim-error.ts';
import { describeInvalid, sendApiError } from './api-error.ts';
import { canonicalJson, ifNoneMatchHits, strongEtag } from './canonical-json.ts';
import { sendThrottled, setupRefusalThrottle, type RefusalLimit } from './client-access.ts';
import { faultsOf } from './faults/active-faults.ts';
import { firstOf } from './faults/fault-set.ts';
import { mutatedCheckIn } from './faults/policy-faults.ts';
import { HostedImageSizes } from './hosted-image-sizes.ts';
import type { OrgConfig } from './org-config-schema.ts';
import type { PortalState } from './portal-state.ts';
import { resolvePolicy, type Resolution } from './resolve-policy.ts';

/** What the API routes read from the running portal. */
export interface ApiContext {
  readonly state: PortalState;
  readonly imagesDir: string;
  /** The organisation as it is now, with the revision of each policy. */
  current(): { readonly org: OrgConfig; readonly revision: (policyId: string) => number };
  /** The portal's own URL, for image paths hosted here. */
  baseUrl(): string;
  /** Refused check-ins each client address may make per window. */
  readonly refusedCheckIns?: RefusalLimit;
}

/**
 * Registers `POST /api/v1/checkin`: the device's policy, with ETag and 304. Refusals leave no
 * device record and are throttled per client address; a device checking in with the key it was
 * accepted with is never throttled.
 */
export async function registerCheckInRoute(app: FastifyInstance, ctx: ApiContext): Promise<void> {
  const throttle = await setupRefusalThrottle(app, ctx.refusedCheckIns);
  const sizes = new HostedImageSizes(ctx.imagesDir);
  app.post(`${API_PREFIX}/checkin`, async (request, reply) => {
    const parsed = checkInRequestSchema.safeParse(request.body);
    if (!parsed.success) {
      return sendApiError(reply, 400, 'BAD_REQUEST', describeInvalid('check-in', parsed.error));
    }
    const device = parsed.data;
    // Only a known device with its own key is sure not to be a guess; all others wait when throttled.
    const enrolled = ctx.state.holdsKey(device.deviceId, device.licenseKey);
    const wait = enrolled ? undefined : await throttle.waitSeconds(request);
    if (wait !== undefined) return sendThrottled(reply, wait);

    const { org, revision } = ctx.current();
    const baseUrl = ctx.baseUrl();
    const seen = {
      id: device.deviceId,
      hostname: device.hostname,
      serialNumber: device.serialNumber ?? null,
      arch: device.arch,
      licenseKey: device.licenseKey,
      agentVersion: device.agentVersion,
    };

    let resolution: Resolution;
    try {
      resolution = resolvePolicy(org, device, { revision, baseUrl });
    } catch (error) {
      if (!isProvisimError(error)) throw error;
      // Its own key expired or was revoked: the admin sees why. Anyone else leaves no trace.
      if (enrolled) ctx.state.recordCheckIn({ ...seen, group: null, lastCheckInError: error.code });
      else await throttle.count(request);
      const status = error.code === 'LICENSE_UNKNOWN' ? 401 : 403;
      return sendApiError(reply, status, error.code, error.message);
    }

    const { policy, group } = resolution;
    const recorded = ctx.state.recordCheckIn({
      ...seen,
      group,
      lastCheckInError: null,
      policyId: policy.id,
      policyRevision: policy.revision,
    });
    if (!recorded) {
      const message = ERROR_SENTENCES.DEVICE_LIMIT_REACHED;
      return sendApiError(reply, 403, 'DEVICE_LIMIT_REACHED', message);
    }
    const image = policy.goldenImage;
    const size = image ? await sizes.sizeOf(image.url, baseUrl) : undefined;
    const answer: CheckInResponse = {
      policy:
        image && size !== undefined
          ? { ...policy, goldenImage: { ...image, sizeBytes: size } }
          : policy,
      checkInIntervalSec: org.checkInIntervalSec,
    };

    const spoil = firstOf(faultsOf(request.raw), 'policy');
    const body = spoil ? mutatedCheckIn(answer, spoil.spec.mutation) : canonicalJson(answer);
    const etag = strongEtag(body);
    reply.header('etag', etag).header('cache-control', 'no-cache');
    if (ifNoneMatchHits(request.headers['if-none-match'], etag)) return reply.code(304).send();
    return reply.code(200).type('application/json; charset=utf-8').send(body);
  });
}
