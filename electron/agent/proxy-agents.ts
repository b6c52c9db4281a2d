import http from 'node:http';
import https from 'node:https';
import type { Duplex } from 'node:stream';
import { HttpProxyAgent, HttpsProxyAgent } from 'hpagent';
import { proxyFailure } from './proxy-errors.ts';
import { proxyRoute, type ProxyChoice } from './proxy-route.ts';

/** got's `agent` option that sends requests through a proxy; a scheme without one goes direct. */
export interface ProxyAgents {
  readonly http?: http.Agent;
  readonly https?: https.Agent;
}

type Connected = (error: Error | null, socket: Duplex) => void;

/**
 * Agents for an HTTP proxy (`http://[user:password@]host:port`, or https:// for a TLS proxy):
 * the explicit one, else the environment's (HTTPS_PROXY, HTTP_PROXY, NO_PROXY; see proxyRoute).
 * Undefined without a proxy. Targets are tunnelled with CONNECT, so HTTPS certificates are still
 * verified; a failed tunnel ends as PROXY_UNREACHABLE, PROXY_AUTH_REQUIRED or PROXY_TUNNEL_REFUSED.
 */
export function proxyAgents(
  proxyUrl: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): ProxyAgents | undefined {
  const route = proxyRoute(proxyUrl, env);
  if (!route) return undefined;
  return {
    http: route.http && new HttpTunnelAgent(route.http, route.direct),
    https: route.https && new HttpsTunnelAgent(route.https, route.direct),
  };
}

class HttpTunnelAgent extends HttpProxyAgent {
  readonly #proxy: ProxyChoice;
  readonly #direct: (host: string) => boolean;

  constructor(proxy: ProxyChoice, direct: (host: string) => boolean) {
    // No keep-alive: an idle pooled socket would keep a finished CLI run from exiting.
    super({ proxy: proxy.url, keepAlive: false });
    hideProxyUrl(this);
    this.#proxy = proxy;
    this.#direct = direct;
  }

  override createConnection(options: http.ClientRequestArgs, callback: Connected) {
    if (this.#direct(String(options.host))) {
      return http.Agent.prototype.createConnection.call(this, options, callback);
    }
    return super.createConnection(options, throughProxy(this.#proxy, options, callback));
  }
}

class HttpsTunnelAgent extends HttpsProxyAgent {
  readonly #proxy: ProxyChoice;
  readonly #direct: (host: string) => boolean;

  constructor(proxy: ProxyChoice, direct: (host: string) => boolean) {
    super({ proxy: proxy.url, keepAlive: false });
    hideProxyUrl(this);
    this.#proxy = proxy;
    this.#direct = direct;
  }

  override createConnection(options: https.RequestOptions, callback: Connected) {
    if (this.#direct(String(options.host))) {
      return https.Agent.prototype.createConnection.call(this, options, callback);
    }
    return super.createConnection(options, throughProxy(this.#proxy, options, callback));
  }
}

function throughProxy(proxy: ProxyChoice, options: http.ClientRequestArgs, done: Connected) {
  const target = `${options.host}:${options.port}`;
  return (error: Error | null, socket: Duplex) =>
    done(error && proxyFailure(error, proxy, target), socket);
}

// got keeps its options, agents included, on its errors, and loggers serialise what is
// enumerable: the proxy URL (with its password) stays readable by hpagent but out of sight.
function hideProxyUrl(agent: object): void {
  Object.defineProperty(agent, 'proxy', { enumerable: false });
}
