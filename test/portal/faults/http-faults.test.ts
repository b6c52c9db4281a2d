import { gunzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import {
  content,
  getText,
  IMAGE,
  observe,
  rawBody,
  rawExchange,
  useFaultPortal,
} from './fault-fixtures.ts';

const startPortal = useFaultPortal();
const size = content.length;

describe('HTTP faults on the image route', () => {
  it('status answers the chosen status with Retry-After and the API error body', async () => {
    const portal = await startPortal([{ type: 'status', status: 503, retryAfter: 7 }]);
    const res = await observe(portal.url, IMAGE);
    expect(res.status).toBe(503);
    expect(res.headers['retry-after']).toBe('7');
    expect(JSON.parse(res.body.toString())).toMatchObject({ error: { code: 'INTERNAL_ERROR' } });
  });

  it('status sends a given body as plain text', async () => {
    const portal = await startPortal([{ type: 'status', status: 403, body: 'Access denied' }]);
    const res = await observe(portal.url, IMAGE);
    expect(res.status).toBe(403);
    expect(res.headers['content-type']).toMatch(/^text\/plain/);
    expect(res.body.toString()).toBe('Access denied');
  });

  it('slow_first_byte sends the head at once and the first body byte after delayMs', async () => {
    const portal = await startPortal([{ type: 'slow_first_byte', delayMs: 150 }]);
    const res = await observe(portal.url, IMAGE);
    expect(res.headersAt).toBeLessThan(100);
    expect(res.chunkAt[0]! - res.headersAt).toBeGreaterThanOrEqual(140);
    expect(res.body.equals(content)).toBe(true);
  });

  it('ignore_range answers a range request with 200 and the whole file', async () => {
    const portal = await startPortal([{ type: 'ignore_range' }]);
    const res = await observe(portal.url, IMAGE, { headers: { range: 'bytes=1000-' } });
    expect(res.status).toBe(200);
    expect(res.headers['content-range']).toBeUndefined();
    expect(res.body.equals(content)).toBe(true);
  });

  it('wrong_content_range shifts the Content-Range header but not the bytes', async () => {
    const portal = await startPortal([{ type: 'wrong_content_range', shiftBy: -500 }]);
    const res = await observe(portal.url, IMAGE, { headers: { range: 'bytes=1000-1999' } });
    expect(res.status).toBe(206);
    expect(res.headers['content-range']).toBe(`bytes 500-1499/${size}`);
    expect(res.body.equals(content.subarray(1000, 2000))).toBe(true);
  });

  it('changing_validators gives new validators on every attempt, so If-Range fails', async () => {
    const portal = await startPortal([{ type: 'changing_validators' }]);
    const first = await observe(portal.url, IMAGE);
    const second = await observe(portal.url, IMAGE, {
      headers: { range: 'bytes=100-', 'if-range': String(first.headers.etag) },
    });
    expect(second.headers.etag).not.toBe(first.headers.etag);
    expect(second.headers['last-modified']).not.toBe(first.headers['last-modified']);
    expect(second.status).toBe(200);
    expect(second.body.equals(content)).toBe(true);
  });

  it('content_length wrong announces more bytes than it sends and closes', async () => {
    const portal = await startPortal([{ type: 'content_length', mode: 'wrong', delta: 100 }]);
    const res = await observe(portal.url, IMAGE);
    expect(res.headers['content-length']).toBe(String(size + 100));
    expect(res.complete).toBe(false);
    expect(res.body.equals(content)).toBe(true);
  });

  it('content_length missing sends neither a length nor chunks and ends the body by closing', async () => {
    const portal = await startPortal([{ type: 'content_length', mode: 'missing' }]);
    const res = await rawExchange(portal.url, getText(IMAGE));
    const head = res.data.subarray(0, res.data.indexOf('\r\n\r\n')).toString('latin1');
    expect(head).not.toMatch(/content-length|transfer-encoding/i);
    expect(res.ending).toBe('end');
    expect(rawBody(res.data).equals(content)).toBe(true);
  });

  it('chunked sends the body with Transfer-Encoding: chunked and no Content-Length', async () => {
    const portal = await startPortal([{ type: 'chunked' }]);
    const res = await observe(portal.url, IMAGE);
    expect(res.headers['transfer-encoding']).toBe('chunked');
    expect(res.headers['content-length']).toBeUndefined();
    expect(res.body.equals(content)).toBe(true);
  });

  it('gzip compresses the body even though identity was asked', async () => {
    const portal = await startPortal([{ type: 'gzip' }]);
    const res = await observe(portal.url, IMAGE, { headers: { 'accept-encoding': 'identity' } });
    expect(res.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(res.body).equals(content)).toBe(true);
  });

  it('corrupt inverts the bytes at a file offset, also inside a range', async () => {
    const portal = await startPortal([{ type: 'corrupt', offset: 5000, length: 4 }]);
    const whole = await observe(portal.url, IMAGE);
    const range = await observe(portal.url, IMAGE, { headers: { range: 'bytes=4000-5999' } });
    const expected = Buffer.from(content);
    for (let i = 5000; i < 5004; i++) expected[i] = expected[i]! ^ 0xff;
    expect(whole.body.equals(expected)).toBe(true);
    expect(range.body.equals(expected.subarray(4000, 6000))).toBe(true);
    expect(content[5000]).not.toBe(whole.body[5000]);
  });

  it('truncate closes cleanly after atBytes with the full Content-Length announced', async () => {
    const portal = await startPortal([{ type: 'truncate', atBytes: 12_345 }]);
    const res = await rawExchange(portal.url, getText(IMAGE));
    expect(res.ending).toBe('end');
    expect(res.data.toString('latin1')).toContain(`content-length: ${size}`);
    expect(rawBody(res.data).equals(content.subarray(0, 12_345))).toBe(true);
  });

  it('stall stops at atBytes for forMs, then sends the rest', async () => {
    const portal = await startPortal([{ type: 'stall', atBytes: 10_000, forMs: 200 }]);
    const res = await observe(portal.url, IMAGE);
    expect(res.body.equals(content)).toBe(true);
    const gaps = res.chunkAt.slice(1).map((at, i) => at - res.chunkAt[i]!);
    expect(Math.max(...gaps)).toBeGreaterThanOrEqual(190);
  });

  it('stall without forMs holds the rest until the fault is removed', async () => {
    const portal = await startPortal([{ id: 'hold', type: 'stall', atBytes: 10_000 }]);
    let received = 0;
    const done = new Promise<number>((resolve) => {
      void fetch(`${portal.url}${IMAGE}`).then(async (res) => {
        for await (const chunk of res.body!) {
          received += (chunk as Uint8Array).length;
          if (received === 10_000) portal.faults.remove('hold');
        }
        resolve(received);
      });
    });
    expect(await done).toBe(size);
  });

  it('redirect sends a chain of hops 302s, then the file', async () => {
    const portal = await startPortal([{ type: 'redirect', hops: 3 }]);
    const locations = await followManually(portal.url, IMAGE);
    expect(locations.statuses).toEqual([302, 302, 302, 200]);
    expect(new Set(locations.urls).size).toBe(4);
    expect(locations.body.equals(content)).toBe(true);
  });

  it('redirect with crossHost switches between 127.0.0.1 and localhost', async () => {
    const portal = await startPortal([{ type: 'redirect', hops: 2, crossHost: true }]);
    const port = new URL(portal.url).port;
    const first = await observe(portal.url, IMAGE);
    expect(first.headers.location).toMatch(new RegExp(`^http://localhost:${port}/`));
    const second = await observe(portal.url, new URL(String(first.headers.location)).pathname, {
      headers: { host: `localhost:${port}` },
    });
    expect(second.headers.location).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${port}/`));
  });

  it('redirect_loop leads back to the image URL through a second URL', async () => {
    const portal = await startPortal([{ type: 'redirect_loop' }]);
    const first = await observe(portal.url, IMAGE);
    expect(first.status).toBe(302);
    const via = new URL(String(first.headers.location));
    const second = await observe(portal.url, via.pathname);
    expect(second.status).toBe(302);
    expect(second.headers.location).toBe(IMAGE);
    expect((await fetch(`${portal.url}${IMAGE}`).catch((e: Error) => e)) instanceof Error).toBe(
      true,
    );
  });

  it('html_page answers 200 with an HTML landing page instead of the file', async () => {
    const portal = await startPortal([{ type: 'html_page' }]);
    const res = await observe(portal.url, `${IMAGE}?web=1`);
    expect(res.status).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body.toString()).toMatch(/^<!DOCTYPE html>/);
  });
});

// Follows redirects one at a time so each hop is seen.
async function followManually(
  baseUrl: string,
  path: string,
): Promise<{ statuses: number[]; urls: string[]; body: Buffer }> {
  const statuses: number[] = [];
  const urls: string[] = [];
  let url = `${baseUrl}${path}`;
  for (let i = 0; i < 10; i++) {
    urls.push(url);
    const res = await fetch(url, { redirect: 'manual' });
    statuses.push(res.status);
    if (res.status !== 302) return { statuses, urls, body: Buffer.from(await res.arrayBuffer()) };
    url = new URL(res.headers.get('location')!, url).href;
  }
  throw new Error('too many redirects');
}
