import { z } from 'zod';
import { apiErrorSchema } from '../../shared/protocol.ts';
import { ProvisimError } from '../../shared/provisim-error.ts';
import { isWebUrl } from '../../shared/web-values.ts';
import { proxyFailureIn } from './proxy-errors.ts';

const LICENSE_CODES = ['LICENSE_UNKNOWN', 'LICENSE_EXPIRED', 'LICENSE_REVOKED'] as const;

/** What parseJson returns for text that is not JSON; every schema rejects it. */
export const NOT_JSON = Symbol('not-json');

/** Parsed JSON, or NOT_JSON. */
export function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return NOT_JSON;
  }
}

/** The portal base URL without trailing slashes; anything but http(s) is a usage error. */
export function parsePortalUrl(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new ProvisimError('USAGE', {
      message: `The portal URL "${raw.slice(0, 80)}" is not a valid URL.`,
    });
  }
  if (!isWebUrl(url)) {
    throw new ProvisimError('USAGE', {
      message: `The portal URL must start with http:// or https:// (got "${url.protocol}").`,
    });
  }
  return url.href.replace(/\/+$/, '');
}

/**
 * PORTAL_UNREACHABLE naming the portal and the reason (error code or HTTP status); a request
 * that failed at the proxy keeps the proxy's own error (PROXY_*), which names what to fix.
 */
export function portalUnreachable(
  portalUrl: string,
  reason: string,
  options: { details?: Record<string, unknown>; cause?: unknown; retryable?: boolean } = {},
): ProvisimError {
  const atProxy = proxyFailureIn(options.cause);
  if (atProxy) return atProxy;
  return new ProvisimError('PORTAL_UNREACHABLE', {
    message: `The management portal at ${portalUrl} cannot be reached (${reason}). Check the portal URL and your network (VPN), then try again.`,
    retryable: options.retryable ?? true,
    details: { portalUrl, ...options.details },
    cause: options.cause,
  });
}

/** The error for an unexpected HTTP status: a license code on 401/403, else PORTAL_UNREACHABLE. */
export function portalStatusError(portalUrl: string, status: number, body: string): ProvisimError {
  const parsed = apiErrorSchema.safeParse(parseJson(body));
  const serverCode = parsed.success ? parsed.data.error.code : undefined;
  const serverMessage = parsed.success ? parsed.data.error.message : undefined;
  const licenseCode = LICENSE_CODES.find((code) => code === serverCode);
  if ((status === 401 || status === 403) && licenseCode) {
    // Our own sentence: the server's wording is kept for the logs only.
    return new ProvisimError(licenseCode, { details: { status, serverMessage } });
  }
  return portalUnreachable(portalUrl, `HTTP ${status}`, {
    details: { status, serverCode, serverMessage },
    retryable: status >= 500,
  });
}

/** POLICY_INVALID for a 200 check-in answer that is not JSON or breaks the protocol schema. */
export function invalidCheckInAnswer(portalUrl: string, error?: z.ZodError): ProvisimError {
  const what = error
    ? `an answer that does not follow the protocol: ${summarise(error)}`
    : 'something that is not JSON';
  return new ProvisimError('POLICY_INVALID', {
    message: `The portal at ${portalUrl} answered the check-in with ${what}`,
    details: { portalUrl },
  });
}

function summarise(error: z.ZodError): string {
  const text = z.prettifyError(error).replace(/\s+/g, ' ');
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}
