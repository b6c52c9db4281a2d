import { readFile, stat } from 'node:fs/promises';
import got from 'got';
import type { ErrorCode } from '../../../shared/codes.ts';
import {
  API_PREFIX,
  REPORT_HEADERS,
  REPORT_MAX_BYTES,
  apiErrorSchema,
  reportReceiptSchema,
  type ReportReceipt,
} from '../../../shared/protocol.ts';
import { ProvisimError, isProvisimError } from '../../../shared/provisim-error.ts';
import type { AgentConfig } from '../agent-config.ts';
import { openAgentStore } from '../agent-store.ts';
import { agentVersion } from '../identity.ts';
import {
  parseJson,
  parsePortalUrl,
  portalStatusError,
  portalUnreachable,
} from '../portal-errors.ts';
import { cappedAnswer } from '../portal-request.ts';
import { certificateError } from '../tls-errors.ts';
import { createTransport, type Transport } from '../transport.ts';
import { isReportId } from './report-id.ts';

/** Time limits of an upload: to connect, and of silence once connected (a 16 MiB body on a slow line). */
const UPLOAD_TIMEOUT = { connect: 10_000, secureConnect: 10_000, socket: 60_000 } as const;

// What the portal may answer a report with, each kept as it came: they name what to fix.
const REPORT_REFUSALS: ReadonlySet<ErrorCode> = new Set([
  'REPORT_TOO_LARGE',
  'REPORT_INVALID',
  'DEVICE_KEY_MISMATCH',
  'LICENSE_UNKNOWN',
  'LICENSE_EXPIRED',
  'LICENSE_REVOKED',
]);

/**
 * Uploads a report bundle to `POST /api/v1/devices/{deviceId}/reports` with the device's license
 * key, through the agent's TLS trust and proxy, once (no retries: the bundle stays on this Mac
 * and can be sent again). REPORT_TOO_LARGE before any byte is sent when it exceeds the limit.
 */
export async function sendProblemReport(options: {
  home: string;
  config: AgentConfig;
  transport?: Transport;
  path: string;
  id: string;
  signal?: AbortSignal;
}): Promise<ReportReceipt> {
  const { path, id, config, signal } = options;
  if (!isReportId(id)) throw new TypeError(`sendProblemReport: \`id\` is not a report ID: ${id}`);
  const portalUrl = parsePortalUrl(config.portalUrl);
  const { size } = await stat(path);
  if (size > REPORT_MAX_BYTES) {
    throw new ProvisimError('REPORT_TOO_LARGE', {
      message: `The problem report ${id} is ${size} bytes, more than the ${REPORT_MAX_BYTES} bytes the portal accepts, so it was not sent. It is kept at ${path}: send that file to your administrator another way.`,
      details: { id, path, sizeBytes: size, limitBytes: REPORT_MAX_BYTES },
    });
  }
  const deviceId = openAgentStore(options.home).get('deviceId');
  if (deviceId === undefined) {
    throw new ProvisimError('NOT_CONFIGURED', {
      message: `This Mac has not checked in with a portal yet, so the portal would not know whose report ${id} is. Check in first (provisim run or the app), then send it again; it is kept at ${path}.`,
      details: { id, path },
    });
  }
  const transport = options.transport ?? createTransport(config);
  const url = `${portalUrl}${API_PREFIX}/devices/${encodeURIComponent(deviceId)}/reports`;
  let response;
  try {
    const request = got.post(url, {
      body: await readFile(path),
      headers: {
        'content-type': 'application/gzip',
        'user-agent': `provisim-agent/${agentVersion()}`,
        [REPORT_HEADERS.licenseKey]: config.licenseKey,
        [REPORT_HEADERS.reportId]: id,
      },
      responseType: 'text',
      throwHttpErrors: false,
      retry: { limit: 0 },
      timeout: UPLOAD_TIMEOUT,
      ...transport,
      signal,
    });
    response = await cappedAnswer(request, portalUrl);
  } catch (error) {
    if (signal?.aborted) throw new ProvisimError('CANCELLED', { cause: error });
    const tls = certificateError(error, { role: 'management portal', url: portalUrl });
    if (tls) throw tls;
    if (isProvisimError(error)) throw error;
    const reason = (error as { code?: string }).code ?? String(error);
    throw portalUnreachable(portalUrl, reason, { details: { errorCode: reason }, cause: error });
  }
  // 200: the portal already had this report (a send repeated after a lost answer).
  if (response.statusCode === 201 || response.statusCode === 200) {
    const receipt = reportReceiptSchema.safeParse(parseJson(response.body));
    if (receipt.success) return receipt.data;
    throw portalUnreachable(portalUrl, 'its answer to the report is not a receipt', {
      details: { status: response.statusCode },
      retryable: false,
    });
  }
  const retryAfter = Number(response.headers['retry-after']);
  const wait = Number.isInteger(retryAfter) && retryAfter > 0 ? retryAfter : undefined;
  throw refusal(portalUrl, response.statusCode, response.body, { id, path, wait });
}

function refusal(
  portalUrl: string,
  status: number,
  body: string,
  report: { readonly id: string; readonly path: string; readonly wait: number | undefined },
) {
  const { id, path, wait } = report;
  const parsed = apiErrorSchema.safeParse(parseJson(body));
  const code = parsed.success ? parsed.data.error.code : undefined;
  const details = {
    status,
    id,
    path,
    serverMessage: parsed.success ? parsed.data.error.message : undefined,
  };
  if (code === 'DEVICE_KEY_MISMATCH') {
    return new ProvisimError(code, {
      message: `The portal knows no Mac with this device id that checked in with this license key, so it refused report ${id}. Check in with the key (provisim run or the app), then send it again; it is kept at ${path}.`,
      details,
    });
  }
  if (code === 'REPORT_THROTTLED' || code === 'REPORT_IN_PROGRESS') {
    const when = wait === undefined ? 'later' : `in ${wait} seconds`;
    const why =
      code === 'REPORT_THROTTLED'
        ? 'The portal takes no more problem reports from this Mac for now'
        : 'The portal is still receiving another problem report from this Mac';
    return new ProvisimError(code, {
      message: `${why}, so it did not take report ${id}. It is kept at ${path}: send a report again ${when}.`,
      retryable: true,
      details: { ...details, ...(wait === undefined ? {} : { retryAfterMs: wait * 1000 }) },
    });
  }
  if (code !== undefined && REPORT_REFUSALS.has(code as ErrorCode)) {
    // Our own sentence: the portal's wording is kept in the details.
    return new ProvisimError(code as ErrorCode, { details });
  }
  // A proxy or load balancer in front of the portal may refuse the size without the portal's body.
  if (status === 413) return new ProvisimError('REPORT_TOO_LARGE', { details });
  return portalStatusError(portalUrl, status, body);
}
