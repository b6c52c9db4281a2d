import { MaxRedirectsError } from 'got';
import type { ProvisimError } from '../../../shared/provisim-error.ts';
import { proxyFailureIn } from '../proxy-errors.ts';
import { certificateError } from '../tls-errors.ts';
import { downloadFailed } from './download-errors.ts';

// A TLS failure does not heal by retrying, and TLS verification is never switched off.
const TLS_CODE = /CERT|SSL|TLS/;
const FATAL_CODES = new Set([
  'ERR_UNSUPPORTED_PROTOCOL',
  'ERR_INVALID_URL',
  'ERR_INVALID_PROTOCOL',
]);

/**
 * Maps an error of got (or of the socket under it) to the proxy's error when the tunnel failed
 * (PROXY_*), TLS_UNTRUSTED for a bad certificate, else DOWNLOAD_FAILED, retryable unless hopeless.
 */
export function classifyRequestError(
  error: unknown,
  maxRedirects: number,
  url: string,
): ProvisimError {
  const atProxy = proxyFailureIn(error);
  if (atProxy) return atProxy;
  const untrusted = certificateError(error, { role: 'image server', url });
  if (untrusted) return untrusted;
  if (error instanceof MaxRedirectsError) {
    return downloadFailed(`the link redirects more than ${maxRedirects} times`, { cause: error });
  }
  const code = (error as { code?: unknown } | undefined)?.code;
  const message = error instanceof Error ? error.message : String(error);
  if (typeof code === 'string' && TLS_CODE.test(code)) {
    return downloadFailed(`the TLS connection failed (${code})`, {
      cause: error,
      details: { code },
    });
  }
  if (typeof code === 'string' && FATAL_CODES.has(code)) {
    return downloadFailed(`the link cannot be followed (${message})`, {
      cause: error,
      details: { code },
    });
  }
  const what = typeof code === 'string' ? `network error ${code}` : `network error (${message})`;
  return downloadFailed(what, { retryable: true, cause: error, details: { code } });
}
