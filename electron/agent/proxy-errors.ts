import { ProvisimError, isProvisimError } from '../../shared/provisim-error.ts';
import type { ErrorCode } from '../../shared/codes.ts';
import type { ProxyChoice } from './proxy-route.ts';
import { certificateProblem } from './tls-errors.ts';

const PROXY_CODES: ReadonlySet<ErrorCode> = new Set([
  'PROXY_UNREACHABLE',
  'PROXY_AUTH_REQUIRED',
  'PROXY_TUNNEL_REFUSED',
]);

/** A proxy URL (or text holding one) with its password hidden, for messages and logs. */
export function redactProxyUrl(text: string): string {
  // Up to the last "@": a password typed unencoded may hold "@" or "/"; better hide too much.
  return text.replace(/\/\/([^/:@]*):.*@/, '//$1:****@');
}

/**
 * The error for a request that failed at the proxy, from the error the tunnel ended with:
 * PROXY_AUTH_REQUIRED (407), PROXY_TUNNEL_REFUSED (another answer to CONNECT) or
 * PROXY_UNREACHABLE (no answer). It names the proxy, where it was set and the target, never
 * the password.
 */
export function proxyFailure(error: Error, proxy: ProxyChoice, target: string): ProvisimError {
  const { host, protocol, username, password } = proxy.url;
  const at = `The proxy ${host} (${proxy.source})`;
  const details = { proxy: redactProxyUrl(proxy.url.href), source: proxy.source, target };
  // hpagent ends a CONNECT that was not answered 200 with exactly this message.
  const status = Number(/^Bad response: (\d{3})$/.exec(error.message)?.[1] ?? Number.NaN);
  if (status === 407) {
    const message =
      username !== '' || password !== ''
        ? `${at} refused the user name and password in its URL (407 Proxy Authentication Required). Check them (Basic authentication) or ask your administrator, then try again.`
        : `${at} asks for a user name and password (407 Proxy Authentication Required). Give them in the proxy URL, like ${protocol}//user:password@${host}, then try again.`;
    return new ProvisimError('PROXY_AUTH_REQUIRED', {
      message,
      details: { ...details, status },
      cause: error,
    });
  }
  if (!Number.isNaN(status)) {
    // Proxies answer 5xx when they cannot reach the target: that may heal, a 403 does not.
    const serverSide = status >= 500;
    const advice = serverSide
      ? 'The server may be down or the proxy cannot reach it: try again later, or ask your administrator to check the proxy.'
      : 'Ask your administrator to let this host through the proxy.';
    return new ProvisimError('PROXY_TUNNEL_REFUSED', {
      message: `${at} refused to open a connection to ${target} (it answered ${status} to CONNECT). ${advice}`,
      retryable: serverSide,
      details: { ...details, status },
      cause: error,
    });
  }
  const code = (error as NodeJS.ErrnoException).code ?? error.message;
  const reason = certificateProblem(error) ? `its TLS certificate is not trusted: ${code}` : code;
  return new ProvisimError('PROXY_UNREACHABLE', {
    message: `${at} cannot be reached (${reason}). Check the proxy address and your network, then try again.`,
    retryable: true,
    details: { ...details, errorCode: code },
    cause: error,
  });
}

/** The proxy failure under an error got reports (in its cause chain), if the request failed at the proxy. */
export function proxyFailureIn(error: unknown): ProvisimError | undefined {
  for (let at = error; at instanceof Error; at = at.cause) {
    if (isProvisimError(at) && PROXY_CODES.has(at.code)) return at;
  }
  return undefined;
}
