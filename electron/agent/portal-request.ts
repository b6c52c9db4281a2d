import got, { RequestError, type CancelableRequest, type Response } from 'got';
import pRetry, { AbortError } from 'p-retry';
import { ProvisimError } from '../../shared/provisim-error.ts';
import { API_PREFIX, apiErrorSchema } from '../../shared/protocol.ts';
import { agentVersion } from './identity.ts';
import { parseJson, portalStatusError, portalUnreachable } from './portal-errors.ts';
import { proxyFailureIn } from './proxy-errors.ts';
import { certificateError } from './tls-errors.ts';
import type { Transport } from './transport.ts';

/** Most bytes the agent reads of one answer of the portal: a policy is a few KiB. */
export const MAX_PORTAL_ANSWER_BYTES = 1024 * 1024;

/** How requests reach one portal: got's transport options, time limit and retry policy. */
export interface PortalRequestOptions {
  readonly portalUrl: string;
  readonly transport: Transport;
  readonly timeoutMs: number;
  readonly retries: number;
  readonly retryDelayMs: number;
}

/** Marks an answer worth another attempt (5xx); p-retry retries it, the last one is mapped. */
class TransientStatus extends Error {
  constructor(readonly response: Response<string>) {
    super(`HTTP ${response.statusCode}`);
  }
}

/** POSTs JSON below `/api/v1`, retrying network errors and 5xx; any other answer is returned. */
export async function postToPortal(
  options: PortalRequestOptions,
  path: string,
  json: unknown,
  headers: Record<string, string>,
  signal?: AbortSignal,
): Promise<Response<string>> {
  const { portalUrl } = options;
  const attempt = async (): Promise<Response<string>> => {
    try {
      const request = got.post(`${portalUrl}${API_PREFIX}${path}`, {
        json,
        headers: { 'user-agent': `provisim-agent/${agentVersion()}`, ...headers },
        responseType: 'text',
        throwHttpErrors: false,
        // p-retry owns retries so that 5xx and network errors share one policy.
        retry: { limit: 0 },
        timeout: { request: options.timeoutMs },
        ...options.transport,
        signal,
      });
      const response = await cappedAnswer(request, portalUrl);
      if (response.statusCode >= 500) throw new TransientStatus(response);
      return response;
    } catch (error) {
      if (signal?.aborted) throw new AbortError(new ProvisimError('CANCELLED'));
      // A bad certificate does not heal by retrying, nor does an oversized answer.
      const tls = certificateError(error, { role: 'management portal', url: portalUrl });
      if (tls) throw new AbortError(tls);
      // Nor does a proxy asking for credentials or refusing the tunnel for good.
      const atProxy = proxyFailureIn(error);
      if (atProxy && !atProxy.retryable) throw new AbortError(atProxy);
      if (error instanceof TransientStatus || error instanceof RequestError) throw error;
      throw new AbortError(error instanceof Error ? error : String(error));
    }
  };
  try {
    const { retries, retryDelayMs: minTimeout } = options;
    return await pRetry(attempt, { retries, minTimeout, factor: 2, signal });
  } catch (error) {
    if (signal?.aborted) throw new ProvisimError('CANCELLED');
    if (error instanceof TransientStatus) {
      throw portalStatusError(portalUrl, error.response.statusCode, error.response.body);
    }
    if (error instanceof RequestError) {
      const details = { errorCode: error.code };
      throw portalUnreachable(portalUrl, error.code, { details, cause: error });
    }
    throw error;
  }
}

/**
 * Waits for a got request's answer, reading at most `limit` bytes of its body (after any
 * decompression). An answer announced or found to be larger is cancelled there, its connection
 * closed, and PORTAL_ANSWER_TOO_LARGE thrown: memory stays bounded whatever the server sends.
 */
export async function cappedAnswer(
  request: CancelableRequest<Response<string>>,
  portalUrl: string,
  limit = MAX_PORTAL_ANSWER_BYTES,
): Promise<Response<string>> {
  let over = false;
  // got reports the Content-Length as `total` before the first byte, then each chunk as it comes.
  void request.on('downloadProgress', ({ transferred, total }) => {
    if (over || (transferred <= limit && (total ?? 0) <= limit)) return;
    over = true;
    request.cancel();
  });
  try {
    return await request;
  } catch (error) {
    if (!over) throw error;
    throw new ProvisimError('PORTAL_ANSWER_TOO_LARGE', {
      message: `The management portal at ${portalUrl} sent an answer larger than ${limit / 1024 ** 2} MiB, far more than a policy can be, so Provisim stopped reading it. Check that the portal URL points at your management portal, or ask your administrator to check the portal.`,
      details: { portalUrl, limitBytes: limit },
      cause: error,
    });
  }
}

/**
 * The error for a check-in the portal turned away without judging the key: too many refusals
 * from this network (429 CHECK_IN_THROTTLED, with its Retry-After) or no room for another Mac
 * (403 DEVICE_LIMIT_REACHED). Undefined for any other answer.
 */
export function checkInTurnedAway(response: Response<string>): ProvisimError | undefined {
  const body = apiErrorSchema.safeParse(parseJson(response.body));
  const code = body.success ? body.data.error.code : undefined;
  const status = response.statusCode;
  if (status === 429 && code === 'CHECK_IN_THROTTLED') {
    const seconds = Number(response.headers['retry-after']);
    const wait = Number.isInteger(seconds) && seconds >= 0 ? { retryAfterMs: seconds * 1000 } : {};
    return new ProvisimError(code, { retryable: true, details: { status, ...wait } });
  }
  if (status === 403 && code === 'DEVICE_LIMIT_REACHED') {
    return new ProvisimError(code, { details: { status } });
  }
  return undefined;
}
