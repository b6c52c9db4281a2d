import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import type { Result } from '../../shared/ipc-contract.ts';
import { ProvisimError } from '../../shared/provisim-error.ts';
import { failure } from '../app/ipc-errors.ts';
import { EVENTS_PATH } from './event-stream.ts';

// 256 bits: 43 base64url characters, far beyond guessing over a loopback socket.
const TOKEN_BYTES = 32;
const BEARER = /^Bearer +(\S+) *$/i;

/** The web host's secret for one start, and the check of what a request presents. */
export interface AccessToken {
  /** The secret, base64url; it reaches the user only inside the printed page address. */
  readonly value: string;
  /** Whether `candidate` is the secret, in a time that does not depend on where they differ. */
  matches(candidate: string): boolean;
}

/** A new random access token, made at each start of the web host. */
export function createAccessToken(): AccessToken {
  const value = randomBytes(TOKEN_BYTES).toString('base64url');
  const expected = digest(value);
  return {
    value,
    // Digests are 32 bytes whatever was sent, so timingSafeEqual always gets equal lengths and
    // neither the secret's length nor its first differing byte shows in the answer time.
    matches: (candidate) => timingSafeEqual(digest(candidate), expected),
  };
}

/**
 * The token a request presents: `Authorization: Bearer <token>` on every request, or `?token=` on
 * the event stream only. EventSource cannot set headers, so the stream takes it in its URL: that
 * URL is never shown in the address bar or history, sent as a Referer or logged (the host keeps no
 * request log). A cookie was the other way, and a worse one: cookies are not scoped by port, so the
 * browser would hand it to any server on 127.0.0.1 (another account's too), and it would ride on
 * requests from other sites' pages, leaving only the Origin check against CSRF.
 */
export function presentedToken(request: FastifyRequest): string | undefined {
  const header = BEARER.exec(request.headers.authorization ?? '')?.[1];
  if (header !== undefined) return header;
  if (request.method !== 'GET' || request.routeOptions.url !== EVENTS_PATH) return undefined;
  return new URL(request.url, 'http://host').searchParams.get('token') || undefined;
}

/** Whether a request carries this start's token. */
export function isAuthorized(request: FastifyRequest, token: AccessToken): boolean {
  const presented = presentedToken(request);
  return presented !== undefined && token.matches(presented);
}

/** The 401 answer: the contract's Result with ACCESS_TOKEN_INVALID, saying what was missing. */
export function tokenRefusal(request: FastifyRequest): Result<never> {
  const what =
    presentedToken(request) === undefined
      ? 'This request carries no access token.'
      : "This request's access token is not this web host's.";
  const message = `${what} Open the address browser mode printed (it ends in ?token=…). Nothing was done.`;
  return failure(new ProvisimError('ACCESS_TOKEN_INVALID', { message }));
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}
