import { existsSync } from 'node:fs';
import { readFile, stat, writeFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { downloadImage } from '../../../electron/agent/download/image-download.ts';
import {
  ProvisimError,
  type ProvisimError as ProvisimErrorType,
  isProvisimError,
} from '../../../shared/provisim-error.ts';
import { useTempDirs } from '../../helpers/temp-dir.ts';
import { MiB, downloadSetup, makeTarImage, sha256, useImageServers } from './download-fixtures.ts';

const tempDir = useTempDirs();
const startServer = useImageServers();

async function failure(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the download to fail');
    },
    (caught: unknown) => caught,
  );
}

async function provisimFailure(promise: Promise<unknown>): Promise<ProvisimErrorType> {
  const error = await failure(promise);
  if (!isProvisimError(error)) throw new Error(`expected a ProvisimError, got ${String(error)}`);
  return error;
}

const unsafe = () => new ProvisimError('ARCHIVE_UNSAFE', { details: { entry: '../evil' } });

describe('downloadImage checksum and consumer failures', () => {
  it('reports CHECKSUM_MISMATCH, removes partial and state and aborts the consumer', async () => {
    const image = makeTarImage(2 * MiB);
    const server = await startServer({ body: image });
    const { options, consumers } = downloadSetup(await tempDir(), server.url, image);
    const expected = sha256(Buffer.from('another image'));

    const error = await provisimFailure(downloadImage({ ...options, expectedSha256: expected }));

    expect(error.code).toBe('CHECKSUM_MISMATCH');
    expect(error.details).toMatchObject({ expected, actual: sha256(image) });
    expect(existsSync(options.partialPath)).toBe(false);
    expect(existsSync(options.statePath)).toBe(false);
    expect(consumers[0]!.aborted).toBe(true);
    expect(consumers[0]!.ended).toBe(false);
  });

  it("returns the consumer's error when it fails mid-way and the checksum is right", async () => {
    const image = makeTarImage(4 * MiB);
    const server = await startServer({ body: image });
    const { options, consumers } = downloadSetup(await tempDir(), server.url, image, {
      failAfter: MiB,
      error: unsafe(),
    });

    const result = await downloadImage(options);

    expect(result.sha256).toBe(options.expectedSha256);
    expect(result.consumerFailure?.error).toMatchObject({ code: 'ARCHIVE_UNSAFE' });
    expect(consumers[0]!.aborted).toBe(true);
    // The download went on to the end so that the checksum could be judged.
    expect(server.bytesSent()).toBe(image.length);
    expect((await readFile(options.partialPath)).equals(image)).toBe(true);
  });

  it('prefers CHECKSUM_MISMATCH over a consumer error', async () => {
    const image = makeTarImage(2 * MiB);
    const server = await startServer({ body: image });
    const { options } = downloadSetup(await tempDir(), server.url, image, {
      failAfter: MiB,
      error: unsafe(),
    });

    const error = await provisimFailure(
      downloadImage({ ...options, expectedSha256: 'f'.repeat(64) }),
    );

    expect(error.code).toBe('CHECKSUM_MISMATCH');
    expect(existsSync(options.partialPath)).toBe(false);
  });

  it("returns the consumer's end() error when the checksum is right", async () => {
    const image = makeTarImage(MiB);
    const server = await startServer({ body: image });
    const endError = new Error('truncated tar');
    const { options, consumers } = downloadSetup(await tempDir(), server.url, image, {
      failOnEnd: endError,
    });

    expect((await downloadImage(options)).consumerFailure?.error).toBe(endError);
    expect(consumers[0]!.aborted).toBe(true);
  });

  it('treats a consumer factory that throws like a failing consumer', async () => {
    const image = makeTarImage(MiB);
    const server = await startServer({ body: image });
    const { options } = downloadSetup(await tempDir(), server.url, image);
    const factoryError = new Error('staging folder not writable');

    const result = await downloadImage({
      ...options,
      createConsumer: () => {
        throw factoryError;
      },
    });

    expect(result.consumerFailure?.error).toBe(factoryError);
    expect(server.bytesSent()).toBe(image.length);
  });

  it('ends the download without retry when onResponse refuses it', async () => {
    const image = makeTarImage(MiB);
    const server = await startServer({ body: image });
    const { options, ofType } = downloadSetup(await tempDir(), server.url, image);
    const refusal = new ProvisimError('INSUFFICIENT_DISK_SPACE');

    const error = await failure(
      downloadImage({
        ...options,
        onResponse: async () => {
          throw refusal;
        },
      }),
    );

    expect(error).toBe(refusal);
    expect(server.requests).toHaveLength(1);
    expect(ofType('attempt-failed')).toHaveLength(0);
  });
});

describe('downloadImage cancellation', () => {
  it('cancels mid-stream with CANCELLED, keeps partial and state, aborts the consumer', async () => {
    const image = makeTarImage(8 * MiB);
    const server = await startServer({ body: image, script: [{ stallAfter: 3 * MiB }] });
    const { options, consumers } = downloadSetup(await tempDir(), server.url, image);
    const controller = new AbortController();
    let allSentArrived!: () => void;
    const arrived = new Promise<void>((resolve) => (allSentArrived = resolve));

    const download = downloadImage({
      ...options,
      signal: controller.signal,
      onProgress: ({ transferred }) => {
        if (transferred === 3 * MiB) allSentArrived();
      },
    });
    // Cancel while the client waits on a server that went quiet after 3 MiB.
    await server.whenStalled();
    await arrived;
    controller.abort();
    const error = await provisimFailure(download);

    expect(error.code).toBe('CANCELLED');
    expect((await stat(options.partialPath)).size).toBe(3 * MiB);
    expect(existsSync(options.statePath)).toBe(true);
    expect(consumers[0]!.aborted).toBe(true);
    expect(server.requests).toHaveLength(1);
  });

  it('cancels while waiting to retry', async () => {
    const image = makeTarImage(MiB);
    const server = await startServer({ body: image, script: [{ status: 503, retryAfter: '60' }] });
    const { options } = downloadSetup(await tempDir(), server.url, image);
    const controller = new AbortController();

    const error = await provisimFailure(
      downloadImage({
        ...options,
        maxRetryDelayMs: 60_000,
        signal: controller.signal,
        onEvent: (event) => {
          if (event.type === 'attempt-failed') controller.abort();
        },
      }),
    );

    expect(error.code).toBe('CANCELLED');
    expect(server.requests).toHaveLength(1);
  });

  it('cancels while replaying the partial of an earlier run, before any request', async () => {
    const image = makeTarImage(8 * MiB);
    const server = await startServer({ body: image });
    const { options } = downloadSetup(await tempDir(), server.url, image);
    await writeFile(options.partialPath, image.subarray(0, 6 * MiB));
    await writeFile(options.statePath, JSON.stringify({ url: server.url, sha256: sha256(image) }));
    const controller = new AbortController();
    let aborted = false;

    const error = await provisimFailure(
      downloadImage({
        ...options,
        signal: controller.signal,
        createConsumer: () => ({
          write: async () => controller.abort(),
          end: async () => undefined,
          abort: async () => void (aborted = true),
        }),
      }),
    );

    expect(error.code).toBe('CANCELLED');
    expect(aborted).toBe(true);
    expect(server.requests).toHaveLength(0);
    expect((await stat(options.partialPath)).size).toBe(6 * MiB);
    expect(existsSync(options.statePath)).toBe(true);
  });

  it('refuses to start with an already fired signal', async () => {
    const image = makeTarImage(MiB);
    const server = await startServer({ body: image });
    const { options } = downloadSetup(await tempDir(), server.url, image);

    const error = await provisimFailure(downloadImage({ ...options, signal: AbortSignal.abort() }));

    expect(error.code).toBe('CANCELLED');
    expect(server.requests).toHaveLength(0);
  });
});
