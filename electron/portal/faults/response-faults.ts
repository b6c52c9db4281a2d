import type { Socket } from 'node:net';
import { pipeline, Readable } from 'node:stream';
import { createGzip } from 'node:zlib';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { IMAGES_PATH } from '../image-file.ts';
import { bodyOffsetOf } from './active-faults.ts';
import { faultyBody, hasBodyFaults, type BodyTarget } from './body-faults.ts';
import { firstOf, type ActiveFault, type FaultSet } from './fault-set.ts';

/**
 * Applies the faults that act on an answer the route made: its framing headers (Content-Length,
 * chunked, gzip), a slow close, and the body faults. Returns the payload to send instead.
 */
export function applyResponseFaults(
  request: FastifyRequest,
  reply: FastifyReply,
  payload: unknown,
  active: readonly ActiveFault[],
  faults: FaultSet,
): unknown {
  const res = reply.raw;
  const socket = request.raw.socket;
  const bodiless =
    request.method === 'HEAD' || reply.statusCode === 204 || reply.statusCode === 304;
  const source = bodySource(payload);
  if (typeof payload === 'string' || Buffer.isBuffer(payload)) {
    // Set now so that a cut body still promises its whole length.
    reply.header('content-length', String(Buffer.byteLength(payload)));
  }

  const slowClose = firstOf(active, 'slow_close');
  if (slowClose) {
    reply.header('connection', 'close');
    delayClose(socket, slowClose.spec.delayMs);
  }
  const length = firstOf(active, 'content_length');
  if (length?.spec.mode === 'wrong') {
    const real = Number(reply.getHeader('content-length') ?? 0);
    reply.header('content-length', String(Math.max(0, real + (length.spec.delta ?? 1))));
    // The framing is wrong, so nothing after this answer can be read on the connection.
    reply.header('connection', 'close');
  } else if (length?.spec.mode === 'missing') {
    reply.removeHeader('content-length');
    // Neither a length nor chunks: the body ends where the connection closes.
    res.useChunkedEncodingByDefault = false;
  }
  const gzip = firstOf(active, 'gzip');
  if (firstOf(active, 'chunked') || gzip) reply.removeHeader('content-length');
  if (gzip) reply.header('content-encoding', 'gzip');

  if (bodiless || source === null || (!gzip && !hasBodyFaults(active))) return payload;
  let body: AsyncIterable<Buffer> | Iterable<Buffer> = source;
  // pipeline, not pipe: a client that goes away must also close the file.
  if (gzip) body = pipeline(source, createGzip(), () => undefined);
  if (!hasBodyFaults(active)) return body;
  const target: BodyTarget = {
    res,
    socket,
    faults,
    offset: bodyOffsetOf(request.raw),
    image: (request.raw.url ?? '').startsWith(IMAGES_PATH),
  };
  const carrier = Readable.from(faultyBody(body, active, target), { highWaterMark: 1 });
  target.carrier = carrier;
  return carrier;
}

function bodySource(payload: unknown): AsyncIterable<Buffer> | Iterable<Buffer> | null {
  if (typeof payload === 'string') return [Buffer.from(payload)];
  if (Buffer.isBuffer(payload)) return [payload];
  if (payload instanceof Readable) return payload;
  return null;
}

// The server closes a `Connection: close` socket with destroySoon once the answer is sent.
function delayClose(socket: Socket, delayMs: number): void {
  const close = socket.destroySoon.bind(socket);
  socket.destroySoon = () => {
    const timer = setTimeout(close, delayMs);
    socket.once('close', () => clearTimeout(timer));
  };
}
