import { existsSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { downloadImage } from '../../../electron/agent/download/image-download.ts';
import { useTempDirs } from '../../helpers/temp-dir.ts';
import {
  MiB,
  RecordingConsumer,
  downloadSetup,
  makeTarImage,
  sha256,
  useImageServers,
} from './download-fixtures.ts';
import { provisimFailure } from '../../helpers/provisim-failure.ts';

const tempDir = useTempDirs();
const startServer = useImageServers();

describe('downloadImage retries', () => {
  it('retries three 503s with growing delays and then succeeds', async () => {
    const image = makeTarImage(MiB);
    const server = await startServer({
      body: image,
      script: [{ status: 503 }, { status: 503 }, { status: 503 }],
    });
    const { options, ofType } = downloadSetup(await tempDir(), server.url, image);

    const result = await downloadImage({ ...options, minRetryDelayMs: 10, maxRetryDelayMs: 1000 });

    expect(result.sha256).toBe(sha256(image));
    expect(server.requests.map((request) => request.status)).toEqual([503, 503, 503, 200]);
    const failed = ofType('attempt-failed');
    expect(failed.map((event) => event.attempt)).toEqual([1, 2, 3]);
    expect(failed.map((event) => event.error)).toEqual(
      Array(3).fill({ code: 'DOWNLOAD_FAILED', message: expect.stringMatching(/HTTP 503/) }),
    );
    // Exponential with jitter: [10, 20], [20, 40], [40, 80].
    const delays = failed.map((event) => event.retryInMs!);
    expect(delays[0]).toBeGreaterThanOrEqual(10);
    expect(delays[0]).toBeLessThanOrEqual(20);
    expect(delays[1]).toBeGreaterThanOrEqual(20);
    expect(delays[1]).toBeLessThanOrEqual(40);
    expect(delays[2]).toBeGreaterThanOrEqual(40);
    expect(delays[2]).toBeLessThanOrEqual(80);
  });

  it('waits as long as Retry-After in seconds says', async () => {
    const image = makeTarImage(MiB);
    const server = await startServer({ body: image, script: [{ status: 503, retryAfter: '1' }] });
    const { options, ofType } = downloadSetup(await tempDir(), server.url, image);

    await downloadImage({ ...options, maxRetryDelayMs: 5000 });

    expect(ofType('attempt-failed')[0]!.retryInMs).toBe(1000);
    const [first, second] = server.requests;
    expect(second!.receivedAt - first!.receivedAt).toBeGreaterThanOrEqual(1000);
  });

  it('caps a Retry-After date by maxRetryDelayMs', async () => {
    const image = makeTarImage(MiB);
    const later = new Date(Date.now() + 3_600_000).toUTCString();
    const server = await startServer({ body: image, script: [{ status: 503, retryAfter: later }] });
    const { options, ofType } = downloadSetup(await tempDir(), server.url, image);

    await downloadImage({ ...options, maxRetryDelayMs: 40 });

    expect(ofType('attempt-failed')[0]!.retryInMs).toBe(40);
  });

  it.each([429, 408, 500, 502])('retries HTTP %i', async (status) => {
    const image = makeTarImage(MiB);
    const server = await startServer({ body: image, script: [{ status, retryAfter: '0' }] });
    const { options, ofType } = downloadSetup(await tempDir(), server.url, image);

    const result = await downloadImage(options);

    expect(result.sha256).toBe(sha256(image));
    expect(server.requests).toHaveLength(2);
    expect(ofType('attempt-failed')[0]).toMatchObject({ retryInMs: 0 });
  });

  it('fails with DOWNLOAD_FAILED when the budget is spent and keeps the partial', async () => {
    const image = makeTarImage(4 * MiB);
    const server = await startServer({
      body: image,
      script: ({ index }) => (index === 0 ? { dropAfter: MiB } : { status: 503 }),
    });
    const { options, ofType } = downloadSetup(await tempDir(), server.url, image);

    const error = await provisimFailure(downloadImage({ ...options, retries: 2 }));

    expect(error.code).toBe('DOWNLOAD_FAILED');
    expect(error.message).toMatch(/HTTP 503 after 4 attempts/);
    expect(error.retryable).toBe(true);
    expect(server.requests).toHaveLength(4);
    expect(ofType('attempt-failed').at(-1)!.retryInMs).toBeUndefined();
    expect((await stat(options.partialPath)).size).toBeGreaterThan(0);
    expect(existsSync(options.statePath)).toBe(true);
  });

  it('resets the budget after an attempt that moved bytes', async () => {
    const image = makeTarImage(5 * MiB + 4096);
    const server = await startServer({
      body: image,
      // Every other request fails outright; the others drop after 1 MiB.
      script: ({ index }) => (index % 2 === 0 ? { status: 503 } : { dropAfter: MiB }),
    });
    const { options } = downloadSetup(await tempDir(), server.url, image);

    const result = await downloadImage({ ...options, retries: 1 });

    expect(result.sha256).toBe(sha256(image));
    expect(server.requests.filter((request) => request.status === 503).length).toBeGreaterThan(2);
  });

  it('aborts a stalled attempt after stallTimeoutMs and resumes', async () => {
    const image = makeTarImage(4 * MiB);
    const server = await startServer({ body: image, script: [{ stallAfter: MiB }] });
    const { options, ofType } = downloadSetup(await tempDir(), server.url, image);

    const result = await downloadImage({ ...options, stallTimeoutMs: 300 });

    expect(result.sha256).toBe(sha256(image));
    expect(ofType('attempt-failed')[0]!.error.message).toMatch(/no data for 0.3 s/);
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]!.headers.range).toMatch(/^bytes=\d+-$/);
  });

  it('does not count time spent waiting on a slow consumer as a stall', async () => {
    const image = makeTarImage(32 * MiB);
    const server = await startServer({ body: image, blockedAfterMs: 400 });
    const consumer = new RecordingConsumer({ blockAfter: MiB });
    const { options, ofType } = downloadSetup(await tempDir(), server.url, image);

    const download = downloadImage({
      ...options,
      stallTimeoutMs: 100,
      createConsumer: () => consumer,
    });
    // The server waited 400 ms for the client to read: four stall timeouts without a byte.
    await server.whenBlocked();
    consumer.release();
    const result = await download;

    expect(result.sha256).toBe(sha256(image));
    expect(ofType('attempt-failed')).toHaveLength(0);
    expect(server.requests).toHaveLength(1);
  });

  it('retries a refused connection and reports the network error', async () => {
    const image = makeTarImage(MiB);
    const server = await startServer({ body: image });
    const url = server.url;
    await server.close();
    const { options, ofType } = downloadSetup(await tempDir(), url, image);

    const error = await provisimFailure(downloadImage({ ...options, retries: 1 }));

    expect(error.code).toBe('DOWNLOAD_FAILED');
    expect(error.message).toMatch(/ECONNREFUSED after 2 attempts/);
    expect(ofType('attempt-failed')).toHaveLength(2);
  });
});
