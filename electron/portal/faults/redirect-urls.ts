import type { FastifyRequest } from 'fastify';

/** Path prefix of the redirect chain's hops. */
export const REDIRECT_HOPS_PATH = '/_provisim/redirect/';
/** Path prefix of the loop's second URL. */
export const LOOP_PATH = '/_provisim/loop';

/** Where a request went: its scheme and its Host header. */
export interface RequestOrigin {
  readonly protocol: 'http' | 'https';
  readonly host: string;
}

/** The origin of a request, for the absolute URLs of redirects (https on an HTTPS portal). */
export function requestOrigin(
  request: Pick<FastifyRequest, 'protocol' | 'headers'>,
): RequestOrigin {
  return { protocol: request.protocol, host: request.headers.host ?? '127.0.0.1' };
}

/**
 * Where hop `step` of `hops` of a redirect chain for `target` (a path with query) goes; cross-host
 * chains switch between 127.0.0.1 and localhost on every hop.
 */
export function redirectUrl(
  origin: RequestOrigin,
  target: string,
  step: number,
  hops: number,
  crossHost: boolean,
): string {
  const on = crossHost ? otherHost(origin.host) : origin.host;
  const hop = `${REDIRECT_HOPS_PATH}${step}-of-${hops}${crossHost ? 'x' : ''}${target}`;
  return `${origin.protocol}://${on}${hop}`;
}

/** The second URL of a loop that leads back to `target`. */
export function loopUrl(origin: RequestOrigin, target: string): string {
  return `${origin.protocol}://${origin.host}${LOOP_PATH}${target}`;
}

/** A hop of a chain read back from its URL, or null when the URL is not one. */
export function parseHop(
  url: string,
): { step: number; hops: number; crossHost: boolean; target: string } | null {
  const match = /^\/_provisim\/redirect\/(\d+)-of-(\d+)(x?)(\/.*)$/.exec(url);
  if (!match) return null;
  const [, step, hops, cross, target] = match;
  return { step: Number(step), hops: Number(hops), crossHost: cross === 'x', target: target! };
}

// 127.0.0.1 and localhost are the same loopback portal under two host names.
function otherHost(host: string): string {
  const colon = host.lastIndexOf(':');
  const name = colon > 0 && !host.endsWith(']') ? host.slice(0, colon) : host;
  const port = name === host ? '' : host.slice(colon);
  if (name === '127.0.0.1') return `localhost${port}`;
  if (name === 'localhost') return `127.0.0.1${port}`;
  return host;
}
