import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Writable } from 'node:stream';
import { createGzip } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { PortalClient } from '../../electron/agent/portal-client.ts';
import { MAX_PORTAL_ANSWER_BYTES } from '../../electron/agent/portal-request.ts';
import { sampleEvent } from '../helpers/sample-events.ts';
import { samplePolicy, sampleCheckInRequest as request } from '../helpers/fake-portal.ts';

const MiB = 1024 * 1024;
const HUGE = 600 * MiB;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  await Promise.all(closers.splice(0).map((close) => close()));
});

/** A server on 127.0.0.1 that answers every request its own way; counts requests and bytes sent. */
async function serve(answer: (req: IncomingMessage, res: ServerResponse) => void) {
  const seen = { requests: 0, bytesSent: 0, closed: Promise.resolve() };
  const server = createServer((req, res) => {
    seen.requests += 1;
    seen.closed = once(res, 'close').then(() => undefined);
    answer(req, res);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  closers.push(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });
  const { port } = server.address() as AddressInfo;
  const client = new PortalClient({ portalUrl: `http://127.0.0.1:${port}`, retryDelayMs: 1 });
  return { seen, client };
}

/** Streams `total` zero bytes as fast as the client takes them, stopping when it hangs up. */
async function streamZeros(out: Writable, total: number, count: (n: number) => void = () => {}) {
  const chunk = Buffer.alloc(64 * 1024);
  const closed = once(out, 'close').catch(() => undefined);
  for (let sent = 0; sent < total && !out.destroyed; sent += chunk.length) {
    count(chunk.length);
    if (!out.write(chunk)) await Promise.race([once(out, 'drain').catch(() => undefined), closed]);
  }
  out.end();
}

async function failure(promise: Promise<unknown>) {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error as { code: string; message: string; retryable: boolean },
  );
}

describe('the size cap on portal answers', () => {
  it('stops reading a check-in answer of 600 MiB early, names it, and does not retry', async () => {
    const { seen, client } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      void streamZeros(res, HUGE, (n) => (seen.bytesSent += n));
    });
    const error = await failure(client.checkIn(request));
    expect(error).toMatchObject({ code: 'PORTAL_ANSWER_TOO_LARGE', retryable: false });
    expect(error.message).toContain('larger than 1 MiB');
    await seen.closed;
    expect(seen.requests).toBe(1);
    // Past the cap only what the sockets' buffers took: nothing near the 600 MiB offered.
    expect(seen.bytesSent).toBeLessThan(32 * MiB);
  });

  it('refuses an announced Content-Length over the cap before reading any of it', async () => {
    const { seen, client } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': HUGE });
      void streamZeros(res, HUGE, (n) => (seen.bytesSent += n));
    });
    expect(await failure(client.checkIn(request))).toMatchObject({
      code: 'PORTAL_ANSWER_TOO_LARGE',
    });
    await seen.closed;
    expect(seen.bytesSent).toBeLessThan(32 * MiB);
  });

  it('counts the bytes after decompression: a small gzip of 600 MiB is stopped too', async () => {
    const { seen, client } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip' });
      const gzip = createGzip();
      gzip.pipe(res);
      res.once('close', () => gzip.destroy());
      void streamZeros(gzip, HUGE);
    });
    expect(await failure(client.checkIn(request))).toMatchObject({
      code: 'PORTAL_ANSWER_TOO_LARGE',
    });
    await seen.closed;
  });

  it('reads an answer of exactly the cap, and refuses one byte more', async () => {
    const json = JSON.stringify({ policy: samplePolicy(), checkInIntervalSec: 300 });
    let size = MAX_PORTAL_ANSWER_BYTES;
    const { client } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(json + ' '.repeat(size - json.length));
    });
    expect(await client.checkIn(request)).toMatchObject({ status: 'changed' });
    size += 1;
    expect(await failure(client.checkIn(request))).toMatchObject({
      code: 'PORTAL_ANSWER_TOO_LARGE',
    });
  });

  it('leaves fields longer than the protocol allows to the schema, below the cap', async () => {
    const policy = samplePolicy();
    const long = { ...policy, goldenImage: { ...policy.goldenImage!, name: 'N'.repeat(300_000) } };
    const { client } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ policy: long, checkInIntervalSec: 300 }));
    });
    expect(await failure(client.checkIn(request))).toMatchObject({ code: 'POLICY_INVALID' });
  });

  it('applies to the answers to events and to the retrieval channel too', async () => {
    const { client } = await serve((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      void streamZeros(res, HUGE);
    });
    const event = sampleEvent('verified');
    const { deviceId, licenseKey } = request;
    expect(await failure(client.postEvents(deviceId, licenseKey, [event]))).toMatchObject({
      code: 'PORTAL_ANSWER_TOO_LARGE',
    });
    expect(await failure(client.pollCommand(deviceId, licenseKey))).toMatchObject({
      code: 'PORTAL_ANSWER_TOO_LARGE',
    });
  });
});
