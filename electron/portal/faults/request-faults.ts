import type { FastifyReply, FastifyRequest } from 'fastify';
import { codeForStatus, sendApiError } from '../api-error.ts';
import { firstOf, ofType, type ActiveFault, type FaultSet } from './fault-set.ts';
import { loopUrl, redirectUrl, requestOrigin } from './redirect-urls.ts';
import { holdUntil, pause } from './wait.ts';

/**
 * Applies the faults that act before the route: latency, reset, timeout, status, an HTML page and
 * redirects. Returns true when the request was answered (or dropped) here.
 */
export async function applyRequestFaults(
  request: FastifyRequest,
  reply: FastifyReply,
  active: readonly ActiveFault[],
  faults: FaultSet,
): Promise<boolean> {
  const socket = request.raw.socket;
  const reset = firstOf(active, 'reset_peer');
  if (reset && reset.spec.afterBytes === undefined) {
    if (!reset.spec.afterMs) return drop(reply, () => socket.resetAndDestroy());
    const timer = setTimeout(() => socket.resetAndDestroy(), reset.spec.afterMs);
    socket.once('close', () => clearTimeout(timer));
  }

  let delay = 0;
  for (const { spec } of ofType(active, 'latency')) {
    const jitter = spec.jitterMs ? faults.randomInt(-spec.jitterMs, spec.jitterMs) : 0;
    delay += Math.max(0, spec.latencyMs + jitter);
  }
  if (delay > 0 && !(await pause(delay, socket))) return drop(reply, () => undefined);

  const timeout = firstOf(active, 'timeout');
  if (timeout) {
    reply.hijack();
    const { afterMs } = timeout.spec;
    if (afterMs === undefined) await holdUntil(faults.removal(timeout.id), socket);
    else await pause(afterMs, socket);
    socket.destroy();
    return true;
  }

  const status = firstOf(active, 'status');
  if (status) {
    const { spec } = status;
    if (spec.retryAfter !== undefined) reply.header('retry-after', String(spec.retryAfter));
    if (spec.body === undefined) {
      const message = `The portal answers ${spec.status} because of fault "${spec.id}".`;
      await sendApiError(reply, spec.status, codeForStatus(spec.status), message);
    } else {
      await reply.code(spec.status).type('text/plain; charset=utf-8').send(spec.body);
    }
    return true;
  }

  if (firstOf(active, 'html_page')) {
    await reply.code(200).type('text/html; charset=utf-8').send(LANDING_PAGE);
    return true;
  }

  const redirect = firstOf(active, 'redirect');
  const loop = firstOf(active, 'redirect_loop');
  if (redirect || loop) {
    const url = request.raw.url ?? '/';
    const origin = requestOrigin(request);
    const location = redirect
      ? redirectUrl(origin, url, 1, redirect.spec.hops, redirect.spec.crossHost ?? false)
      : loopUrl(origin, url);
    await reply.code(302).header('location', location).send();
    return true;
  }
  return false;
}

// The connection goes away without an answer; the framework must not write one.
function drop(reply: FastifyReply, act: () => void): true {
  reply.hijack();
  act();
  return true;
}

// What a browser-only share link (SharePoint, OneDrive) answers instead of the file.
const LANDING_PAGE = `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Win11.pvmp - SharePoint</title></head>
<body><div id="app">Sign in to view this file. <a href="/_layouts/15/download.aspx">Download</a></div>
<script>window.location.hash = 'preview';</script></body></html>
`;
