import { existsSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { downloadImage } from '../../../electron/agent/download/image-download.ts';
import { isProvisimError } from '../../../shared/provisim-error.ts';
import { useTempDirs } from '../../helpers/temp-dir.ts';
import { MiB, downloadSetup, makeTarImage, sha256, useImageServers } from './download-fixtures.ts';

const tempDir = useTempDirs();
const startServer = useImageServers();
const ETAG = '"image-v1"';
const LAST_MODIFIED = 'Wed, 01 Jan 2025 00:00:00 GMT';

describe('downloadImage resume within one run', () => {
  it('resumes after a dropped connection with a Range request and moves only the rest', async () => {
    const image = makeTarImage(8 * MiB);
    const server = await startServer({ body: image, script: [{ dropAfter: 3 * MiB }] });
    const { options, consumers, ofType } = downloadSetup(await tempDir(), server.url, image);

    const result = await downloadImage(options);

    expect(result.sha256).toBe(sha256(image));
    expect(server.requests).toHaveLength(2);
    const resumedAt = ofType('download-resumed')[0]!.offset;
    // Bytes still queued in memory when the connection broke are asked again: at most 1 MiB.
    expect(resumedAt).toBeGreaterThan(2 * MiB);
    expect(resumedAt).toBeLessThanOrEqual(3 * MiB);
    expect(server.requests[1]!.headers.range).toBe(`bytes=${resumedAt}-`);
    expect(server.requests[1]!.headers['if-range']).toBe(ETAG);
    expect(server.requests[1]!.status).toBe(206);
    expect(server.requests[1]!.bytesSent).toBe(image.length - resumedAt);
    expect(server.bytesSent()).toBeLessThanOrEqual(image.length + MiB);
    expect(result.bytesTransferred).toBe(image.length);
    // The in-memory hash and consumer carry on: one consumer saw every byte once.
    expect(consumers).toHaveLength(1);
    expect(consumers[0]!.bytes().equals(image)).toBe(true);
    expect(ofType('attempt-failed')).toHaveLength(1);
    expect(ofType('download-resumed')).toEqual([
      { type: 'download-resumed', offset: resumedAt, total: image.length },
    ]);
  });

  it('uses Last-Modified for If-Range when the server sends no ETag', async () => {
    const image = makeTarImage(4 * MiB);
    const server = await startServer({ body: image, etag: null, script: [{ dropAfter: MiB }] });
    const { options } = downloadSetup(await tempDir(), server.url, image);

    const result = await downloadImage(options);

    expect(result.sha256).toBe(sha256(image));
    expect(server.requests[1]!.headers['if-range']).toBe(LAST_MODIFIED);
    expect(server.requests[1]!.status).toBe(206);
  });

  it('restarts from zero when the server ignores the Range request', async () => {
    const image = makeTarImage(6 * MiB);
    const server = await startServer({
      body: image,
      script: [{ dropAfter: 2 * MiB }, { ignoreRange: true }],
    });
    const { options, consumers, ofType } = downloadSetup(await tempDir(), server.url, image);

    const result = await downloadImage(options);

    expect(result.sha256).toBe(sha256(image));
    expect(server.requests[1]!.status).toBe(200);
    expect(ofType('download-restarted')).toEqual([
      { type: 'download-restarted', reason: 'the server ignored the range request' },
    ]);
    expect(consumers).toHaveLength(2);
    expect(consumers[0]!.aborted).toBe(true);
    expect(consumers[1]!.bytes().equals(image)).toBe(true);
    expect((await readFile(options.partialPath)).equals(image)).toBe(true);
  });

  it('restarts from zero when the ETag changed between attempts', async () => {
    const image = makeTarImage(6 * MiB);
    const server = await startServer({
      body: image,
      script: [{ dropAfter: 2 * MiB }, { etag: '"image-v2"' }],
    });
    const { options, consumers, ofType } = downloadSetup(await tempDir(), server.url, image);

    const result = await downloadImage(options);

    expect(result.sha256).toBe(sha256(image));
    expect(server.requests[1]!.headers['if-range']).toBe(ETAG);
    expect(server.requests[1]!.status).toBe(200);
    expect(ofType('download-restarted')[0]!.reason).toBe('the file changed on the server');
    expect(consumers[0]!.aborted).toBe(true);
    expect(consumers[1]!.bytes().equals(image)).toBe(true);
  });

  it('restarts when a 206 carries another ETag than the stored one', async () => {
    const image = makeTarImage(4 * MiB);
    const server = await startServer({
      body: image,
      // The server honours the range although the file changed: the validators must catch it.
      script: [{ dropAfter: MiB }, { etag: '"image-v2"', ignoreIfRange: true }],
    });
    const { options, ofType } = downloadSetup(await tempDir(), server.url, image);

    const result = await downloadImage(options);

    expect(result.sha256).toBe(sha256(image));
    expect(server.requests[1]!.status).toBe(206);
    expect(ofType('download-restarted')).toEqual([
      { type: 'download-restarted', reason: 'the file changed on the server' },
    ]);
    expect(server.requests).toHaveLength(3);
    expect(server.requests[2]!.headers.range).toBeUndefined();
  });

  it('restarts from zero with a new request when Content-Range starts elsewhere', async () => {
    const image = makeTarImage(6 * MiB);
    const server = await startServer({
      body: image,
      script: [{ dropAfter: 2 * MiB }, { contentRangeStart: 0 }],
    });
    const { options, consumers, ofType } = downloadSetup(await tempDir(), server.url, image);

    const result = await downloadImage(options);

    expect(result.sha256).toBe(sha256(image));
    expect(server.requests).toHaveLength(3);
    expect(server.requests[2]!.headers.range).toBeUndefined();
    expect(ofType('download-restarted')[0]!.reason).toMatch(/another byte range/);
    expect(consumers.at(-1)!.bytes().equals(image)).toBe(true);
  });
});

describe('downloadImage resume across runs', () => {
  it('replays the partial of a cancelled run and fetches only the rest', async () => {
    const image = makeTarImage(8 * MiB);
    const server = await startServer({ body: image });
    const dir = await tempDir();
    const first = downloadSetup(dir, server.url, image);
    const controller = new AbortController();

    const cancelled = await downloadImage({
      ...first.options,
      signal: controller.signal,
      onProgress: (progress) => {
        if (progress.transferred >= 2 * MiB) controller.abort();
      },
    }).catch((error: unknown) => error);

    expect(isProvisimError(cancelled) && cancelled.code).toBe('CANCELLED');
    const kept = (await stat(first.options.partialPath)).size;
    expect(kept).toBeGreaterThanOrEqual(2 * MiB);
    expect(kept).toBeLessThan(image.length);
    expect(JSON.parse(await readFile(first.options.statePath, 'utf8'))).toMatchObject({
      url: server.url,
      sha256: sha256(image),
      etag: ETAG,
      lastModified: LAST_MODIFIED,
      total: image.length,
    });
    const sentBefore = server.bytesSent();

    const second = downloadSetup(dir, server.url, image);
    const result = await downloadImage(second.options);

    expect(result).toMatchObject({
      sha256: sha256(image),
      resumedFrom: kept,
      bytesTransferred: image.length - kept,
    });
    expect(server.requests.at(-1)!.headers.range).toBe(`bytes=${kept}-`);
    expect(server.bytesSent() - sentBefore).toBe(image.length - kept);
    expect(second.consumers[0]!.bytes().equals(image)).toBe(true);
    expect(second.ofType('download-started')[0]).toMatchObject({ offset: kept });
    expect(second.ofType('download-resumed')[0]).toMatchObject({ offset: kept });
    expect(existsSync(second.options.statePath)).toBe(true);
  });

  it('asks nothing of the server when a complete partial of known size is held', async () => {
    const image = makeTarImage(3 * MiB);
    const server = await startServer({ body: image });
    const dir = await tempDir();
    const { options, consumers, ofType } = downloadSetup(dir, server.url, image);
    await writeFile(options.partialPath, image);
    await writeFile(
      options.statePath,
      JSON.stringify({ url: server.url, sha256: sha256(image), etag: ETAG, total: image.length }),
    );

    const result = await downloadImage(options);

    expect(server.requests).toEqual([]);
    expect(result).toMatchObject({ bytesTransferred: 0, resumedFrom: image.length });
    expect(result.sha256).toBe(sha256(image));
    expect(consumers[0]!.bytes().equals(image)).toBe(true);
    expect(ofType('download-resumed')).toEqual([
      {
        type: 'download-resumed',
        offset: image.length,
        total: image.length,
        rehashMs: expect.any(Number),
      },
    ]);
  });

  it('finishes without body bytes when the server answers 416 to a complete partial', async () => {
    const image = makeTarImage(3 * MiB);
    const server = await startServer({ body: image });
    const dir = await tempDir();
    const { options, consumers } = downloadSetup(dir, server.url, image);
    await writeFile(options.partialPath, image);
    // No stored size: only the server can say the partial is whole.
    await writeFile(
      options.statePath,
      JSON.stringify({ url: server.url, sha256: sha256(image), etag: ETAG }),
    );

    const result = await downloadImage(options);

    expect(server.requests.map((request) => request.status)).toEqual([416]);
    expect(result).toMatchObject({ bytesTransferred: 0, resumedFrom: image.length });
    expect(result.sha256).toBe(sha256(image));
    expect(consumers[0]!.bytes().equals(image)).toBe(true);
  });

  it('restarts when a 416 states another size than the partial', async () => {
    const image = makeTarImage(2 * MiB);
    const server = await startServer({ body: image });
    const { options, ofType } = downloadSetup(await tempDir(), server.url, image);
    await writeFile(options.partialPath, Buffer.concat([image, Buffer.alloc(1000)]));
    await writeFile(options.statePath, JSON.stringify({ url: server.url, sha256: sha256(image) }));

    const result = await downloadImage(options);

    expect(result.sha256).toBe(sha256(image));
    expect(server.requests.map((request) => request.status)).toEqual([416, 200]);
    expect(ofType('download-restarted')[0]!.reason).toMatch(/does not match/);
    expect((await stat(options.partialPath)).size).toBe(image.length);
  });

  it('discards a partial that belongs to another image and link', async () => {
    const image = makeTarImage(2 * MiB);
    const server = await startServer({ body: image });
    const { options } = downloadSetup(await tempDir(), server.url, image);
    await writeFile(options.partialPath, makeTarImage(MiB));
    await writeFile(
      options.statePath,
      JSON.stringify({ url: 'http://elsewhere.test/old', sha256: 'a'.repeat(64), etag: ETAG }),
    );

    const result = await downloadImage(options);

    expect(result).toMatchObject({ sha256: sha256(image), resumedFrom: 0 });
    expect(server.requests[0]!.headers.range).toBeUndefined();
  });

  it('discards a partial whose state file is missing', async () => {
    const image = makeTarImage(2 * MiB);
    const server = await startServer({ body: image });
    const { options } = downloadSetup(await tempDir(), server.url, image);
    await writeFile(options.partialPath, image.subarray(0, MiB));

    const result = await downloadImage(options);

    expect(result).toMatchObject({ sha256: sha256(image), resumedFrom: 0 });
    expect(server.requests[0]!.headers.range).toBeUndefined();
  });
});
