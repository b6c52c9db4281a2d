import { close, read } from 'node:fs';
import type { FastifyReply } from 'fastify';

// Measured on loopback: 256 KiB reads cost more CPU per GiB; 2 or 4 MiB, or a third buffer, no
// faster. Two buffers: one is filled from disk while the other is on its way to the client.
const BUFFER_BYTES = 1024 * 1024;
const BUFFERS_PER_BODY = 2;
// Reused, never one per chunk as a read stream does: fresh 1 MiB buffers make V8 collect garbage
// for their external memory every few chunks, and once an idle portal has shrunk its heap these
// are full mark-compacts, which tripled the time of a 1 GiB download.
const MAX_IDLE_BUFFERS = 8;
const idle: Buffer[] = [];

/** Sends bytes start..end of an open file as the reply's body and closes the file after. */
export function sendFileBody(
  reply: FastifyReply,
  fd: number,
  start: number,
  end: number,
): FastifyReply {
  const res = reply.raw;
  // The connection, not the response: a pipelined answer gets its socket only when its turn comes.
  const connection = reply.request.raw.socket;
  // Past the framework's stream pipeline: only a write's own callback tells when the socket is
  // done with a buffer, so that the next read may fill it; that wait is also the backpressure.
  reply.hijack();
  for (const [name, value] of Object.entries(reply.getHeaders())) {
    if (value !== undefined) res.setHeader(name, value);
  }
  res.writeHead(reply.statusCode);
  const spare: Buffer[] = [];
  for (let i = 0; i < BUFFERS_PER_BODY; i++) spare.push(idle.pop() ?? allocate());
  let next = start;
  let reading = false;
  // Set once no more reads are due: the body is read in full, or it is abandoned.
  let done = false;

  const stop = (): void => {
    if (done) return;
    done = true;
    connection.off('close', stop);
    for (const buffer of spare.splice(0)) release(buffer);
    // A read in flight closes the file when it returns, so its descriptor is not reused under it.
    if (!reading) close(fd, ignore);
  };
  const fail = (): void => {
    stop();
    // Content-Length promised more: the client must see a broken body, not a short one.
    res.destroy();
  };
  const written = (buffer: Buffer) => (error?: Error | null) => {
    if (error || done) release(buffer);
    else spare.push(buffer);
    if (error) fail();
    else pump();
  };

  const pump = (): void => {
    if (reading || done || spare.length === 0) return;
    const buffer = spare.pop()!;
    reading = true;
    read(fd, buffer, 0, Math.min(buffer.length, end + 1 - next), next, (error, bytes) => {
      reading = false;
      if (done) {
        release(buffer);
        close(fd, ignore);
        return;
      }
      // A file that shrank under the answer ends early: that is a failure too.
      if (error || bytes === 0) {
        release(buffer);
        return fail();
      }
      next += bytes;
      const last = next > end;
      res.write(bytes === buffer.length ? buffer : buffer.subarray(0, bytes), written(buffer));
      if (!last) return pump();
      stop();
      res.end();
    });
  };

  connection.on('close', stop);
  if (connection.destroyed) stop();
  else pump();
  return reply;
}

function allocate(): Buffer {
  // Outside the shared pool: each buffer is filled by disk reads and handed out whole.
  return Buffer.allocUnsafeSlow(BUFFER_BYTES);
}

// A buffer comes back only once the socket is done with it, so another answer may fill it.
function release(buffer: Buffer): void {
  if (idle.length < MAX_IDLE_BUFFERS) idle.push(buffer);
}

function ignore(): void {}
