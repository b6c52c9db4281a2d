import { existsSync, statSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { downloadImage } from '../../../electron/agent/download/image-download.ts';
import { useTempDirs } from '../../helpers/temp-dir.ts';
import { MiB, downloadSetup, makeTarImage, sha256, useImageServers } from './download-fixtures.ts';
import { provisimFailure } from '../../helpers/provisim-failure.ts';

const tempDir = useTempDirs();
const startServer = useImageServers();

const PAGE = `<!DOCTYPE html><html><head><title>Sign in</title></head><body>${'x'.repeat(600)}</body></html>`;

describe('downloadImage error statuses', () => {
  it.each([
    [401, 'IMAGE_AUTH_REQUIRED'],
    [403, 'IMAGE_AUTH_REQUIRED'],
    [404, 'IMAGE_NOT_FOUND'],
    [410, 'IMAGE_NOT_FOUND'],
    [400, 'DOWNLOAD_FAILED'],
    [405, 'DOWNLOAD_FAILED'],
  ])('maps HTTP %i to %s without retrying', async (status, code) => {
    const image = makeTarImage(MiB);
    const server = await startServer({ body: image, script: () => ({ status }) });
    const { options, ofType } = downloadSetup(await tempDir(), server.url, image);

    const error = await provisimFailure(downloadImage(options));

    expect(error.code).toBe(code);
    expect(error.details).toMatchObject({ status });
    expect(server.requests).toHaveLength(1);
    expect(ofType('attempt-failed')).toHaveLength(0);
    // Nothing was received, so nothing is left to resume.
    expect(existsSync(options.partialPath)).toBe(false);
  });

  it('refuses a text/html response as NOT_A_DIRECT_LINK and removes the partial', async () => {
    const image = makeTarImage(MiB);
    const server = await startServer({ body: image, contentType: 'text/html; charset=utf-8' });
    const { options, consumers } = downloadSetup(await tempDir(), server.url, image);

    const error = await provisimFailure(downloadImage(options));

    expect(error.code).toBe('NOT_A_DIRECT_LINK');
    expect(server.requests).toHaveLength(1);
    expect(consumers).toHaveLength(0);
    expect(existsSync(options.partialPath)).toBe(false);
    expect(existsSync(options.statePath)).toBe(false);
  });

  it('refuses an HTML body served as a binary as NOT_A_DIRECT_LINK', async () => {
    const server = await startServer({ body: Buffer.from(PAGE) });
    const { options } = downloadSetup(await tempDir(), server.url, makeTarImage(MiB));

    const error = await provisimFailure(downloadImage(options));

    expect(error.code).toBe('NOT_A_DIRECT_LINK');
    expect(server.requests).toHaveLength(1);
    expect(existsSync(options.partialPath)).toBe(false);
    expect(existsSync(options.statePath)).toBe(false);
  });

  it('refuses a short HTML page that ends before the sniff window', async () => {
    const server = await startServer({ body: Buffer.from('<html><body>moved</body></html>') });
    const { options } = downloadSetup(await tempDir(), server.url, makeTarImage(MiB));

    const error = await provisimFailure(downloadImage(options));

    expect(error.code).toBe('NOT_A_DIRECT_LINK');
    expect(existsSync(options.partialPath)).toBe(false);
  });

  it('stops an unknown file at its first bytes with ARCHIVE_INVALID', async () => {
    const junk = Buffer.alloc(64 * MiB, 0x41);
    const server = await startServer({ body: junk });
    const { options, consumers } = downloadSetup(await tempDir(), server.url, junk);

    const error = await provisimFailure(downloadImage(options));

    expect(error.code).toBe('ARCHIVE_INVALID');
    expect(consumers).toHaveLength(0);
    expect(server.requests).toHaveLength(1);
    expect(server.bytesSent()).toBeLessThan(32 * MiB);
    expect(existsSync(options.partialPath)).toBe(false);
    expect(existsSync(options.statePath)).toBe(false);
  });

  it('keeps a good partial when a resume is answered with a web page', async () => {
    const image = makeTarImage(2 * MiB);
    const server = await startServer({ body: image, script: () => ({ html: PAGE }) });
    const { options } = downloadSetup(await tempDir(), server.url, image);
    await writeFile(options.partialPath, image.subarray(0, MiB));
    await writeFile(options.statePath, JSON.stringify({ url: server.url, sha256: sha256(image) }));

    const error = await provisimFailure(downloadImage(options));

    expect(error.code).toBe('NOT_A_DIRECT_LINK');
    expect(server.requests[0]!.headers.range).toBe(`bytes=${MiB}-`);
    expect(statSync(options.partialPath).size).toBe(MiB);
    expect(existsSync(options.statePath)).toBe(true);
  });

  it('discards a resumable partial that turns out to be a web page', async () => {
    const image = makeTarImage(MiB);
    const server = await startServer({ body: image });
    const { options } = downloadSetup(await tempDir(), server.url, image);
    await writeFile(options.partialPath, PAGE);
    await writeFile(options.statePath, JSON.stringify({ url: server.url, sha256: sha256(image) }));

    const error = await provisimFailure(downloadImage(options));

    expect(error.code).toBe('NOT_A_DIRECT_LINK');
    expect(server.requests).toHaveLength(0);
    expect(existsSync(options.partialPath)).toBe(false);
    expect(existsSync(options.statePath)).toBe(false);
  });
});

describe('downloadImage redirects', () => {
  it('follows a three-hop redirect chain and flags the change of host', async () => {
    const image = makeTarImage(2 * MiB);
    const hops: Record<string, string> = {};
    const server = await startServer({
      body: image,
      script: ({ path }) => (hops[path] ? { redirect: hops[path] } : undefined),
    });
    hops['/start'] = '/hop1';
    hops['/hop1'] = server.urlFor('/hop2', 'localhost');
    hops['/hop2'] = server.urlFor('/image');
    const { options, ofType } = downloadSetup(await tempDir(), server.urlFor('/start'), image);

    const result = await downloadImage(options);

    expect(result).toMatchObject({ sha256: sha256(image), finalUrl: server.url });
    expect(ofType('download-redirected')).toEqual([
      {
        type: 'download-redirected',
        from: server.urlFor('/start'),
        to: server.urlFor('/hop1'),
        hostChanged: false,
      },
      {
        type: 'download-redirected',
        from: server.urlFor('/hop1'),
        to: server.urlFor('/hop2', 'localhost'),
        hostChanged: true,
      },
      {
        type: 'download-redirected',
        from: server.urlFor('/hop2', 'localhost'),
        to: server.url,
        hostChanged: true,
      },
    ]);
  });

  it('resumes through the redirect after a dropped connection, reporting each hop once', async () => {
    const image = makeTarImage(4 * MiB);
    const server = await startServer({
      body: image,
      script: ({ path, index }) =>
        path === '/start' ? { redirect: '/image' } : index === 1 ? { dropAfter: MiB } : undefined,
    });
    const { options, ofType } = downloadSetup(await tempDir(), server.urlFor('/start'), image);

    const result = await downloadImage(options);

    expect(result.sha256).toBe(sha256(image));
    expect(server.requests.map((request) => request.path)).toEqual([
      '/start',
      '/image',
      '/start',
      '/image',
    ]);
    expect(server.requests[3]!.headers.range).toMatch(/^bytes=\d+-$/);
    expect(ofType('download-redirected')).toHaveLength(1);
  });

  it('stops a redirect loop with DOWNLOAD_FAILED naming the loop, without retrying', async () => {
    const image = makeTarImage(MiB);
    const server = await startServer({
      body: image,
      script: ({ path }) => ({ redirect: path === '/a' ? '/b' : '/a' }),
    });
    const { options, ofType } = downloadSetup(await tempDir(), server.urlFor('/a'), image);

    const error = await provisimFailure(downloadImage(options));

    expect(error.code).toBe('DOWNLOAD_FAILED');
    expect(error.message).toContain(
      `redirects in a loop (${server.urlFor('/a')} -> ${server.urlFor('/b')} -> ${server.urlFor('/a')})`,
    );
    expect(server.requests).toHaveLength(2);
    expect(ofType('attempt-failed')).toHaveLength(0);
  });

  it('stops after maxRedirects hops with DOWNLOAD_FAILED, without retrying', async () => {
    const image = makeTarImage(MiB);
    const server = await startServer({
      body: image,
      script: ({ path }) => ({ redirect: `/${Number(path.slice(1)) + 1}` }),
    });
    const { options } = downloadSetup(await tempDir(), server.urlFor('/0'), image);

    const error = await provisimFailure(downloadImage({ ...options, maxRedirects: 3 }));

    expect(error.code).toBe('DOWNLOAD_FAILED');
    expect(error.message).toMatch(/redirects more than 3 times/);
    expect(server.requests).toHaveLength(4);
  });
});

describe('downloadImage link checks', () => {
  it.each([
    'file:///etc/passwd',
    'javascript:alert(1)',
    'ftp://example.com/image.pvmp',
    'not a url',
  ])('refuses %s with POLICY_INVALID before any request', async (url) => {
    const dir = await tempDir();
    const { options } = downloadSetup(dir, url, makeTarImage(1024));

    const error = await provisimFailure(downloadImage(options));

    expect(error.code).toBe('POLICY_INVALID');
    expect(existsSync(options.partialPath)).toBe(false);
  });

  it('refuses a checksum that is not 64 lower-case hex digits with POLICY_INVALID', async () => {
    const { options } = downloadSetup(await tempDir(), 'http://127.0.0.1:9/x', makeTarImage(1024));

    const error = await provisimFailure(downloadImage({ ...options, expectedSha256: 'ABC' }));

    expect(error.code).toBe('POLICY_INVALID');
  });
});

describe('downloadImage redirect targets', () => {
  it('refuses a redirect to a file: link without retrying', async () => {
    const image = makeTarImage(MiB);
    const server = await startServer({ body: image, script: [{ redirect: 'file:///etc/passwd' }] });
    const { options, ofType } = downloadSetup(await tempDir(), server.url, image);

    const error = await provisimFailure(downloadImage(options));

    expect(error.code).toBe('DOWNLOAD_FAILED');
    expect(error.retryable).toBe(false);
    expect(error.message).toMatch(/link cannot be followed/);
    expect(ofType('attempt-failed')).toHaveLength(0);
    expect(server.requests).toHaveLength(1);
  });
});
