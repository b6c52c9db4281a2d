import { HttpProxyAgent, HttpsProxyAgent } from 'hpagent';
import { ProvisimError } from '../../shared/provisim-error.ts';
import { isWebUrl } from '../../shared/web-values.ts';

/** got's `agent` option that sends requests through a proxy. */
export interface ProxyAgents {
  readonly http: HttpProxyAgent;
  readonly https: HttpsProxyAgent;
}

/**
 * Agents for an HTTP proxy (`http://host:port`, or https:// for a TLS proxy); undefined without
 * one. HTTPS targets are tunnelled with CONNECT, so their certificates are still verified.
 */
export function proxyAgents(proxyUrl: string | undefined): ProxyAgents | undefined {
  if (proxyUrl === undefined || proxyUrl.trim() === '') return undefined;
  if (!URL.canParse(proxyUrl) || !isWebUrl(new URL(proxyUrl))) {
    throw new ProvisimError('USAGE', {
      message: `The proxy "${proxyUrl}" is not an http:// or https:// URL. Give it like http://proxy.example:3128.`,
      details: { proxyUrl },
    });
  }
  // No keep-alive: an idle pooled socket would keep a finished CLI run from exiting.
  return {
    http: new HttpProxyAgent({ proxy: proxyUrl, keepAlive: false }),
    https: new HttpsProxyAgent({ proxy: proxyUrl, keepAlive: false }),
  };
}
