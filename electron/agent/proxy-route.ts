import { BlockList, isIP } from 'node:net';
import { ProvisimError } from '../../shared/provisim-error.ts';
import { isWebUrl } from '../../shared/web-values.ts';
import { redactProxyUrl } from './proxy-errors.ts';

/** A proxy and where it was set, for messages: "the proxy setting" or the environment variable. */
export interface ProxyChoice {
  readonly url: URL;
  readonly source: string;
}

/** Which proxy a request takes, by the target's scheme, and which hosts go direct. */
export interface ProxyRoute {
  readonly http?: ProxyChoice;
  readonly https?: ProxyChoice;
  /** Whether a host is listed in NO_PROXY, so it is reached without the proxy. */
  readonly direct: (host: string) => boolean;
}

/**
 * The route for an explicit proxy (--proxy or the stored setting), else for the environment, as
 * curl and npm read it: https_proxy/HTTPS_PROXY for https:// targets, http_proxy/HTTP_PROXY for
 * http:// ones, and no_proxy/NO_PROXY for hosts that go direct, also past an explicit proxy.
 * Loopback addresses are not exempt unless listed, as with curl. Undefined: no proxy at all.
 */
export function proxyRoute(
  explicit: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): ProxyRoute | undefined {
  const given = explicit?.trim()
    ? { value: explicit.trim(), source: 'the proxy setting' }
    : undefined;
  const http = given ?? fromEnv(env, 'http_proxy');
  const https = given ?? fromEnv(env, 'https_proxy');
  if (!http && !https) return undefined;
  return {
    http: http && parseProxy(http.value, http.source),
    https: https && parseProxy(https.value, https.source),
    direct: noProxyMatcher(fromEnv(env, 'no_proxy')?.value),
  };
}

/**
 * A NO_PROXY matcher: `*` matches every host; a name matches itself and its subdomains (a
 * leading `.` or `*.` changes nothing); IP addresses match exactly or by CIDR (10.0.0.0/8).
 */
export function noProxyMatcher(list: string | undefined): (host: string) => boolean {
  const entries = (list ?? '')
    .split(/[\s,]+/)
    .map((entry) => entry.toLowerCase().replace(/\.$/, ''))
    .filter((entry) => entry !== '');
  if (entries.includes('*')) return () => true;
  const networks = new BlockList();
  const names: string[] = [];
  for (const entry of entries) {
    const [address = '', bits] = unbracket(entry).split('/');
    const family = isIP(address);
    if (family === 0) names.push(entry.replace(/^\*?\./, ''));
    else addNetwork(networks, address, family, bits);
  }
  return (host) => {
    const name = unbracket(host.toLowerCase()).replace(/\.$/, '');
    const family = isIP(name);
    if (family !== 0) return networks.check(name, family === 4 ? 'ipv4' : 'ipv6');
    return names.some((entry) => name === entry || name.endsWith(`.${entry}`));
  };
}

function fromEnv(env: NodeJS.ProcessEnv, name: string) {
  // Lower case first, as curl reads them. Upper case HTTP_PROXY counts too, as with npm: curl
  // ignores it because a CGI script gets request headers as HTTP_* variables, and Provisim never
  // runs as one.
  for (const key of [name, name.toUpperCase()]) {
    const value = env[key]?.trim();
    if (value) return { value, source: key };
  }
  return undefined;
}

function parseProxy(value: string, source: string): ProxyChoice {
  // curl takes "proxy:3128" as http://proxy:3128.
  const text = /^[a-z][a-z\d+.-]*:\/\//i.test(value) ? value : `http://${value}`;
  const url = URL.canParse(text) ? new URL(text) : undefined;
  if (!url || !isWebUrl(url) || url.hostname === '') {
    const shown = redactProxyUrl(value);
    throw new ProvisimError('USAGE', {
      message: `The proxy "${shown}" (${source}) is not an http:// or https:// URL. Give it like http://proxy.example:3128, with http://user:password@… when it asks for a sign-in.`,
      details: { proxyUrl: shown, source },
    });
  }
  return { url, source };
}

function addNetwork(networks: BlockList, address: string, family: number, bits?: string): void {
  const type = family === 4 ? 'ipv4' : 'ipv6';
  const max = family === 4 ? 32 : 128;
  const prefix = bits === undefined ? max : Number(bits);
  // curl ignores an entry with a bad prefix length; so does this.
  if (Number.isInteger(prefix) && prefix >= 0 && prefix <= max) {
    networks.addSubnet(address, prefix, type);
  }
}

function unbracket(host: string): string {
  return host.startsWith('[') ? host.replace(/^\[([^\]]*)\](.*)$/, '$1$2') : host;
}
