import type { FastifyInstance } from 'fastify';
import { API_PREFIX, checkInRequestSchema, type CheckInResponse } from '../../shared/protocol.ts';
import { isProvisimError } from '../../shared/provisim-error.ts';
import { describeInvalid, sendApiError } from './api-error.ts';
import { canonicalJson, ifNoneMatchHits, strongEtag } from './canonical-json.ts';
import { faultsOf } from './faults/active-faults.ts';
import { firstOf } from './faults/fault-set.ts';
import { mutatedCheckIn } from './faults/policy-faults.ts';
import { hostedImageSize } from './image-file.ts';
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
}

/** Registers `POST /api/v1/checkin`: the device's policy, with ETag and 304. */
export function registerCheckInRoute(app: FastifyInstance, ctx: ApiContext): void {
  app.post(`${API_PREFIX}/checkin`, async (request, reply) => {
    const parsed = checkInRequestSchema.safeParse(request.body);
    if (!parsed.success) {
      return sendApiError(reply, 400, 'BAD_REQUEST', describeInvalid('check-in', parsed.error));
    }
    const device = parsed.data;
    const { org, revision } = ctx.current();
    const baseUrl = ctx.baseUrl();
    const seen = {
      id: device.deviceId,
      hostname: device.hostname,
      arch: device.arch,
      licenseKey: device.licenseKey,
      agentVersion: device.agentVersion,
    };

    let resolution: Resolution;
    try {
      resolution = resolvePolicy(org, device, { revision, baseUrl });
    } catch (error) {
      if (!isProvisimError(error)) throw error;
      ctx.state.recordCheckIn({ ...seen, group: null, lastCheckInError: error.code });
      const status = error.code === 'LICENSE_UNKNOWN' ? 401 : 403;
      return sendApiError(reply, status, error.code, error.message);
    }

    const { policy, group } = resolution;
    ctx.state.recordCheckIn({
      ...seen,
      group,
      lastCheckInError: null,
      policyId: policy.id,
      policyRevision: policy.revision,
    });
    const image = policy.goldenImage;
    const size = image ? await hostedImageSize(ctx.imagesDir, image.url, baseUrl) : undefined;
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
