import { proxyAgents, type ProxyAgents } from './proxy-agents.ts';
import { httpsTrust, type HttpsTrust } from './tls-trust.ts';

/** How the agent reaches the portal and image servers: got's certificate trust and proxy agents. */
export interface Transport {
  readonly https: HttpsTrust;
  /** The proxy's agents; undefined when requests go direct. */
  readonly agent?: ProxyAgents;
}

/** The settings a transport is made from; both default to none (system roots, the environment's proxy). */
export interface TransportSettings {
  /** A PEM file of extra CAs to trust beside the system roots. */
  readonly caFile?: string;
  /** An HTTP proxy (`http://[user:password@]host:port`); else HTTPS_PROXY/HTTP_PROXY/NO_PROXY. */
  readonly proxyUrl?: string;
}

/**
 * Reads the CA file and builds the proxy agents, once: one transport serves every request of an
 * agent context, the portal's and the image's. Throws USAGE for an unusable CA file or proxy URL.
 */
export function createTransport(settings: TransportSettings = {}): Transport {
  return { https: httpsTrust(settings.caFile), agent: proxyAgents(settings.proxyUrl) };
}
