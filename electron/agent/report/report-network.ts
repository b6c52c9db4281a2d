import got from 'got';
import { isProvisimError } from '../../../shared/provisim-error.ts';
import { agentVersion } from '../identity.ts';
import { parsePortalUrl, portalUnreachable } from '../portal-errors.ts';
import { proxyRoute } from '../proxy-route.ts';
import { certificateError } from '../tls-errors.ts';
import { createTransport, type Transport } from '../transport.ts';
import { withoutPassword } from './report-redaction.ts';
import { readTlsChain, type TlsChainReport } from './tls-chain.ts';

/** How long each network check may take before it counts as failed. */
export const NETWORK_CHECK_TIMEOUT_MS = 5_000;

/** A check that failed, with the error code and sentence it failed with. */
export interface CheckError {
  readonly ok: false;
  readonly error: { readonly code: string; readonly message: string };
}

/** Why a check failed, or why it was not made. */
export type CheckFailure = CheckError | { readonly ok: false; readonly skipped: string };

/** What network.json holds: the portal, the proxy in use, and the portal's TLS chain. */
export interface NetworkReport {
  readonly portalUrl: string | null;
  readonly proxy:
    | { readonly url: string | null; readonly source: string | null; readonly bypassed: boolean }
    | CheckFailure;
  readonly portal:
    | { readonly ok: true; readonly status: number; readonly elapsedMs: number }
    | (CheckError & { readonly elapsedMs: number })
    | CheckFailure;
  readonly tls: ({ readonly ok: true } & TlsChainReport) | CheckFailure;
}

/** The connection settings the checks use, as the agent would: portal, CA file, proxy. */
export interface NetworkSettings {
  readonly portalUrl?: string;
  readonly caFile?: string;
  readonly proxyUrl?: string;
}

/**
 * Quick checks of the way to the portal, each with a short time limit: whether it answers (any
 * HTTP status counts), which proxy the agent takes to it, and for https its certificate chain.
 * A failing check is recorded in the report, never thrown.
 */
export async function checkNetwork(
  settings: NetworkSettings,
  options: { timeoutMs?: number; signal?: AbortSignal; env?: NodeJS.ProcessEnv } = {},
): Promise<NetworkReport> {
  const timeoutMs = options.timeoutMs ?? NETWORK_CHECK_TIMEOUT_MS;
  const none = { ok: false, skipped: 'no portal is configured' } as const;
  if (!settings.portalUrl) return { portalUrl: null, proxy: none, portal: none, tls: none };
  let portalUrl: string;
  let transport: Transport;
  try {
    portalUrl = parsePortalUrl(settings.portalUrl);
    transport = createTransport(settings);
  } catch (error) {
    const failed = failure(error);
    return {
      portalUrl: withoutPassword(settings.portalUrl),
      proxy: failed,
      portal: failed,
      tls: failed,
    };
  }
  const target = new URL(portalUrl);
  const tls = async (): Promise<NetworkReport['tls']> => {
    if (target.protocol !== 'https:') return { ok: false, skipped: 'the portal is not https' };
    try {
      return {
        ok: true,
        ...(await readTlsChain(target, transport, { timeoutMs, signal: options.signal })),
      };
    } catch (error) {
      return failure(error);
    }
  };
  const [portal, chain] = await Promise.all([
    reachPortal(portalUrl, transport, timeoutMs, options.signal),
    tls(),
  ]);
  return {
    portalUrl,
    proxy: proxyInUse(target, settings.proxyUrl, options.env),
    portal,
    tls: chain,
  };
}

async function reachPortal(
  portalUrl: string,
  transport: Transport,
  timeoutMs: number,
  signal?: AbortSignal,
): Promise<NetworkReport['portal']> {
  const started = Date.now();
  try {
    // HEAD of the base URL: any answer shows the portal is there, and nothing is sent to it.
    const response = await got(`${portalUrl}/`, {
      method: 'HEAD',
      headers: { 'user-agent': `provisim-agent/${agentVersion()}` },
      throwHttpErrors: false,
      followRedirect: false,
      retry: { limit: 0 },
      timeout: { request: timeoutMs },
      ...transport,
      signal,
    });
    return { ok: true, status: response.statusCode, elapsedMs: Date.now() - started };
  } catch (error) {
    const reason = (error as { code?: string }).code ?? String(error);
    const mapped =
      certificateError(error, { role: 'management portal', url: portalUrl }) ??
      portalUnreachable(portalUrl, reason, { cause: error });
    return { ...failure(mapped), elapsedMs: Date.now() - started };
  }
}

function proxyInUse(
  target: URL,
  proxyUrl: string | undefined,
  env?: NodeJS.ProcessEnv,
): NetworkReport['proxy'] {
  try {
    const route = proxyRoute(proxyUrl, env);
    const choice = target.protocol === 'https:' ? route?.https : route?.http;
    const bypassed = choice !== undefined && route!.direct(target.hostname);
    return {
      url: choice ? withoutPassword(choice.url.href) : null,
      source: choice?.source ?? null,
      bypassed,
    };
  } catch (error) {
    return failure(error);
  }
}

function failure(error: unknown): CheckError {
  if (isProvisimError(error)) return { ok: false, error: error.toJSON() };
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  return { ok: false, error: { code: typeof code === 'string' ? code : 'ERROR', message } };
}
