import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { downloadImage } from '../../../electron/agent/download/image-download.ts';
import { useTempDirs } from '../../helpers/temp-dir.ts';
import {
  MiB,
  RecordingConsumer,
  downloadSetup,
  makeTarImage,
  makeZipImage,
  sha256,
  useImageServers,
} from './download-fixtures.ts';

const tempDir = useTempDirs();
const startServer = useImageServers();

describe('downloadImage happy path', () => {
  it('hashes, stores and streams every byte in order to the consumer in one pass', async () => {
    const image = makeTarImage(8 * MiB + 123);
    const server = await startServer({ body: image });
    const dir = await tempDir();
    const { options, consumers, formats, ofType } = downloadSetup(dir, server.url, image);

    const result = await downloadImage(options);

    expect(result).toMatchObject({
      sha256: sha256(image),
      bytes: image.length,
      format: 'tar',
      consumerResult: { bytes: image.length },
      bytesTransferred: image.length,
      resumedFrom: 0,
      finalUrl: server.url,
    });
    expect(formats).toEqual(['tar']);
    expect(consumers).toHaveLength(1);
    expect(consumers[0]!.bytes().equals(image)).toBe(true);
    expect(consumers[0]!.ended).toBe(true);
    expect(consumers[0]!.aborted).toBe(false);
    expect((await readFile(options.partialPath)).equals(image)).toBe(true);
    // The resume state stays until the caller has registered the VM (a crash before that resumes).
    expect(existsSync(options.statePath)).toBe(true);
    expect(server.requests).toHaveLength(1);
    expect(ofType('download-started')).toEqual([
      { type: 'download-started', url: server.url, offset: 0, total: image.length },
    ]);
  });

  it('asks for the identity encoding and no range on a fresh download', async () => {
    const image = makeTarImage(MiB);
    const server = await startServer({ body: image });
    const { options } = downloadSetup(await tempDir(), server.url, image);

    await downloadImage({ ...options, headers: { 'X-Tenant': 'acme', Range: 'bytes=5-' } });

    const headers = server.requests[0]!.headers;
    expect(headers['accept-encoding']).toBe('identity');
    expect(headers['x-tenant']).toBe('acme');
    expect(headers.range).toBeUndefined();
  });

  it('reports progress up to the total after every chunk', async () => {
    const image = makeTarImage(4 * MiB);
    const server = await startServer({ body: image });
    const { options, progress } = downloadSetup(await tempDir(), server.url, image);

    await downloadImage(options);

    expect(progress.length).toBeGreaterThan(1);
    const transferred = progress.map((entry) => entry.transferred);
    expect(transferred).toEqual([...transferred].sort((a, b) => a - b));
    expect(progress.at(-1)).toEqual({
      transferred: image.length,
      total: image.length,
      attemptBytes: image.length,
      resumedFrom: 0,
    });
  });

  it('waits for a slow consumer instead of buffering the body in memory', async () => {
    const image = makeTarImage(64 * MiB);
    const server = await startServer({ body: image, blockedAfterMs: 200 });
    const dir = await tempDir();
    const consumer = new RecordingConsumer({ blockAfter: MiB });
    const { options } = downloadSetup(dir, server.url, image);

    const download = downloadImage({ ...options, createConsumer: () => consumer });
    await server.whenBlocked();

    expect(server.bytesSent()).toBeLessThan(32 * MiB);
    expect(consumer.taken).toBeLessThanOrEqual(2 * MiB);
    consumer.release();
    const result = await download;
    expect(result.sha256).toBe(sha256(image));
    expect(consumer.maxWriting).toBe(1);
    expect(consumer.bytes().equals(image)).toBe(true);
  });

  it('creates no consumer for a zip, which is extracted after the download', async () => {
    const image = makeZipImage(2 * MiB);
    const server = await startServer({ body: image });
    const { options, formats, consumers } = downloadSetup(await tempDir(), server.url, image);

    const result = await downloadImage(options);

    expect(result.format).toBe('zip');
    expect(result.consumerResult).toBeUndefined();
    expect(formats).toEqual(['zip']);
    expect(consumers).toHaveLength(0);
    expect((await readFile(options.partialPath)).equals(image)).toBe(true);
  });

  it('works without a consumer factory or callbacks', async () => {
    const image = makeTarImage(MiB);
    const server = await startServer({ body: image });
    const { options } = downloadSetup(await tempDir(), server.url, image);
    const { partialPath, statePath, expectedSha256, url } = options;

    const result = await downloadImage({ url, expectedSha256, partialPath, statePath });

    expect(result).toMatchObject({ format: 'tar', bytes: image.length, consumerResult: undefined });
  });

  it('passes the total and offset to onResponse once before any byte is written', async () => {
    const image = makeTarImage(2 * MiB);
    const server = await startServer({ body: image });
    const { options, progress } = downloadSetup(await tempDir(), server.url, image);
    const calls: Array<{ total?: number; offset: number; progressSoFar: number }> = [];

    await downloadImage({
      ...options,
      onResponse: async (info) => void calls.push({ ...info, progressSoFar: progress.length }),
    });

    expect(calls).toEqual([{ total: image.length, offset: 0, progressSoFar: 0 }]);
  });
});
