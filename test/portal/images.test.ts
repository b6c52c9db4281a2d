import { randomBytes } from 'node:crypto';
import { mkdir, realpath, symlink, utimes, writeFile } from 'node:fs/promises';
import { get, type IncomingMessage } from 'node:http';
import { join } from 'node:path';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { RunningPortal } from '../../electron/portal/server.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';
import { openFdsTo, rawRequest, sampleOrg, usePortals } from './portal-fixtures.ts';

const tempDir = useTempDirs();
const startPortal = usePortals();

const content = randomBytes(300_000);
const size = content.length;
const mtime = new Date('2025-02-03T04:05:06.000Z');
let portal: RunningPortal;
let dataDir: string;
const IMAGE = '/images/win11.pvmp';

beforeEach(async () => {
  dataDir = await tempDir();
  const images = join(dataDir, 'images');
  await mkdir(join(images, 'sub'), { recursive: true });
  await writeFile(join(images, 'win11.pvmp'), content);
  await utimes(join(images, 'win11.pvmp'), mtime, mtime);
  await writeFile(join(images, 'sub', 'my image.pvmp'), 'nested');
  await writeFile(join(dataDir, 'secret.txt'), 'do not serve');
  await symlink(join(dataDir, 'secret.txt'), join(images, 'link.txt'));
  portal = await startPortal({ dataDir, org: sampleOrg() });
});

function getImage(headers: Record<string, string> = {}, path = IMAGE) {
  return rawRequest(portal.url, path, { headers });
}

describe('GET and HEAD /images/*', () => {
  it('answers HEAD with the file headers and no body', async () => {
    const res = await rawRequest(portal.url, IMAGE, { method: 'HEAD' });
    expect(res.status).toBe(200);
    expect(res.headers).toMatchObject({
      'accept-ranges': 'bytes',
      'content-type': 'application/octet-stream',
      'content-length': String(size),
      'last-modified': mtime.toUTCString(),
    });
    expect(res.headers.etag).toMatch(/^"[0-9a-f]+-[0-9a-f]+"$/);
    expect(res.body.length).toBe(0);
  });

  it('serves the whole file byte for byte with the same validators as HEAD', async () => {
    const head = await rawRequest(portal.url, IMAGE, { method: 'HEAD' });
    const res = await getImage();
    expect(res.status).toBe(200);
    expect(res.headers['content-length']).toBe(String(size));
    expect(res.headers.etag).toBe(head.headers.etag);
    expect(res.body.equals(content)).toBe(true);
  });

  it('serves a file in a subfolder by its percent-encoded name, ignoring the query', async () => {
    const res = await getImage({}, '/images/sub/my%20image.pvmp?download=1');
    expect(res.status).toBe(200);
    expect(res.body.toString()).toBe('nested');
  });

  it('serves one range with 206 and Content-Range', async () => {
    const res = await getImage({ range: 'bytes=1000-1999' });
    expect(res.status).toBe(206);
    expect(res.headers['content-range']).toBe(`bytes 1000-1999/${size}`);
    expect(res.headers['content-length']).toBe('1000');
    expect(res.body.equals(content.subarray(1000, 2000))).toBe(true);
  });

  it('serves an open-ended range to the end of the file', async () => {
    const res = await getImage({ range: 'bytes=250000-' });
    expect(res.status).toBe(206);
    expect(res.headers['content-range']).toBe(`bytes 250000-${size - 1}/${size}`);
    expect(res.body.equals(content.subarray(250_000))).toBe(true);
  });

  it('serves a suffix range as the last bytes', async () => {
    const res = await getImage({ range: 'bytes=-10' });
    expect(res.status).toBe(206);
    expect(res.body.equals(content.subarray(size - 10))).toBe(true);
  });

  it('answers 416 with the size for a range past the end', async () => {
    const res = await getImage({ range: `bytes=${size}-` });
    expect(res.status).toBe(416);
    expect(res.headers['content-range']).toBe(`bytes */${size}`);
    expect(res.body.length).toBe(0);
  });

  it('serves the whole file for several ranges or a malformed Range', async () => {
    for (const range of ['bytes=0-9,100-109', 'bytes=oops', 'pages=1-2']) {
      const res = await getImage({ range });
      expect(res.status).toBe(200);
      expect(res.body.equals(content)).toBe(true);
    }
  });

  it('honours If-Range with the current ETag or Last-Modified date', async () => {
    const { headers } = await rawRequest(portal.url, IMAGE, { method: 'HEAD' });
    for (const ifRange of [String(headers.etag), mtime.toUTCString()]) {
      const res = await getImage({ range: 'bytes=10-19', 'if-range': ifRange });
      expect(res.status).toBe(206);
      expect(res.body.equals(content.subarray(10, 20))).toBe(true);
    }
  });

  it('serves the whole file when If-Range no longer matches', async () => {
    const { headers } = await rawRequest(portal.url, IMAGE, { method: 'HEAD' });
    const stale = ['"0-0"', `W/${String(headers.etag)}`, new Date(0).toUTCString(), 'garbage'];
    for (const ifRange of stale) {
      const res = await getImage({ range: 'bytes=10-19', 'if-range': ifRange });
      expect(res.status).toBe(200);
      expect(res.body.equals(content)).toBe(true);
    }
  });

  it('changes the ETag when the file changes', async () => {
    const before = await rawRequest(portal.url, IMAGE, { method: 'HEAD' });
    await writeFile(join(dataDir, 'images', 'win11.pvmp'), content.subarray(1));
    const after = await rawRequest(portal.url, IMAGE, { method: 'HEAD' });
    expect(after.headers.etag).not.toBe(before.headers.etag);
  });

  it.each([
    '/images/../secret.txt',
    '/images/%2e%2e/secret.txt',
    '/images/%2E%2E/secret.txt',
    '/images/sub/../../secret.txt',
    '/images/..%2fsecret.txt',
    '/images/..%5csecret.txt',
    '/images//etc/passwd',
    '/images/%2fetc%2fpasswd',
    '/images/link.txt',
    '/images/sub',
    '/images/sub/',
    '/images/missing.pvmp',
  ])('answers 404 for %s', async (path) => {
    const res = await getImage({}, path);
    expect(res.status).toBe(404);
    expect(res.body.toString()).not.toContain('do not serve');
  });

  it('answers 400 with a JSON error body for a path with broken percent-encoding', async () => {
    const res = await getImage({}, '/images/%zz');
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body.toString())).toMatchObject({ error: { code: 'BAD_REQUEST' } });
  });

  it.runIf(process.platform === 'linux')(
    'closes the file when the client aborts a download',
    async () => {
      const big = join(dataDir, 'images', 'big.pvmp');
      await writeFile(big, Buffer.alloc(64 * 1024 * 1024, 1));
      const target = await realpath(big);
      const res = await new Promise<IncomingMessage>((resolve, reject) => {
        get(`${portal.url}/images/big.pvmp`, { agent: false }, resolve).on('error', reject);
      });
      await new Promise((resolve) => res.once('data', resolve));
      expect(await openFdsTo(target)).toBe(1);
      res.destroy();
      await vi.waitFor(async () => expect(await openFdsTo(target)).toBe(0));
      // The portal still serves after the abort.
      expect((await getImage({ range: 'bytes=0-0' })).status).toBe(206);
    },
  );
});
