import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it, vi } from 'vitest';
import {
  downloadImage,
  type DownloadEvent,
  type ImageDownloadOptions,
} from '../../../electron/agent/download/image-download.ts';
import { heldDownloadBytes } from '../../../electron/agent/held-download.ts';
import { createTarExtractor, resumeTarExtractor } from '../../../electron/archive/tar-extractor.ts';
import { useTempDirs } from '../../helpers/temp-dir.ts';
import { gnuTarOfSampleVm } from '../../archive/helpers/journal-archive.ts';
import { extractBytes } from '../../archive/helpers/extract-helpers.ts';
import { treeContents } from '../../archive/helpers/sample-vm.ts';
import { MiB, sha256, useImageServers } from './download-fixtures.ts';

const tempDir = useTempDirs();
const startServer = useImageServers();
const SHA = 'a'.repeat(64);

/** downloadImage wired as the agent wires it for a plain tar: no partial, a journal beside staging. */
function journaledDownload(dir: string, url: string, image: Buffer) {
  const stagingDir = join(dir, 'staging');
  const journalPath = join(dir, `${SHA}.journal`);
  const events: DownloadEvent[] = [];
  const options = (extra: Partial<ImageDownloadOptions> = {}): ImageDownloadOptions => ({
    url,
    expectedSha256: sha256(image),
    partialPath: join(dir, `${SHA}.part`),
    statePath: join(dir, `${SHA}.json`),
    minRetryDelayMs: 5,
    maxRetryDelayMs: 50,
    onEvent: (event) => events.push(event),
    createConsumer: (format) =>
      format === 'tar' ? createTarExtractor({ stagingDir, journalPath, format }) : undefined,
    resumeConsumer: async () => {
      const resumed = await resumeTarExtractor({ stagingDir, journalPath });
      return resumed && { ...resumed, consumer: resumed.extractor };
    },
    ...extra,
  });
  const ofType = (type: DownloadEvent['type']) => events.filter((event) => event.type === type);
  return { stagingDir, journalPath, options, ofType, held: () => heldDownloadBytes(dir, SHA) };
}

async function cancelledAt(
  run: ReturnType<typeof journaledDownload>,
  server: { whenStalled(): Promise<void> },
  bytes: number,
  extra: Partial<ImageDownloadOptions> = {},
): Promise<void> {
  const controller = new AbortController();
  const download = downloadImage(run.options({ ...extra, signal: controller.signal }));
  await server.whenStalled();
  // The stall is exact; the last bytes reach the disk within the sink's idle flush.
  await vi.waitFor(async () => expect(await run.held()).toBe(bytes), { timeout: 10_000 });
  controller.abort();
  await expect(download).rejects.toMatchObject({ code: 'CANCELLED' });
}

describe('downloading a plain tar with a journal instead of a partial file', () => {
  it('writes each byte once, resumes from the staged files, and fetches only the rest', async () => {
    const dir = await tempDir();
    const image = await gnuTarOfSampleVm(dir, 3 * MiB);
    const half = Math.floor(image.length / 2);
    const server = await startServer({ body: image, script: [{ stallAfter: half }] });
    const run = journaledDownload(dir, server.url, image);

    await cancelledAt(run, server, half);
    expect(existsSync(join(dir, `${SHA}.part`))).toBe(false);
    expect(existsSync(run.journalPath)).toBe(true);
    expect(await run.held()).toBe(half);

    const result = await downloadImage(run.options());
    expect(result).toMatchObject({ sha256: sha256(image), resumedFrom: half });
    expect(result.bytesTransferred).toBe(image.length - half);
    expect(server.requests.at(-1)!.headers.range).toBe(`bytes=${half}-`);
    // The bench reads how long re-hashing the held bytes took from this event.
    expect(run.ofType('download-resumed').at(-1)).toMatchObject({
      offset: half,
      rehashMs: expect.any(Number),
    });
    const reference = join(dir, 'reference');
    await extractBytes(image, reference);
    expect(await treeContents(run.stagingDir)).toEqual(await treeContents(reference));
    expect(existsSync(join(dir, `${SHA}.part`))).toBe(false);
  });

  /** A download stopped near its end whose staged disk then had one byte flipped. */
  async function tamperedAfterCancel(extra: Partial<ImageDownloadOptions> = {}) {
    const dir = await tempDir();
    const image = await gnuTarOfSampleVm(dir, 3 * MiB);
    const stall = image.length - 8192;
    const server = await startServer({ body: image, script: [{ stallAfter: stall }] });
    const run = journaledDownload(dir, server.url, image);
    await cancelledAt(run, server, stall, extra);
    await tamperWithDisk(run.stagingDir, 1000);
    return { dir, image, run };
  }

  it('notices at a checkpoint that a staged file changed, and starts again from 0', async () => {
    const checkpointBytes = 256 * 1024;
    const { image, run } = await tamperedAfterCancel({ checkpointBytes });

    const result = await downloadImage(run.options({ checkpointBytes }));
    expect(result.sha256).toBe(sha256(image));
    expect(result.resumedFrom).toBe(0);
    expect(run.ofType('download-restarted').at(-1)).toMatchObject({
      reason: expect.stringMatching(/changed/),
    });
  });

  it('lets the final hash catch a change after the last checkpoint: nothing is kept', async () => {
    const { dir, run } = await tamperedAfterCancel();

    await expect(downloadImage(run.options())).rejects.toMatchObject({
      code: 'CHECKSUM_MISMATCH',
    });
    expect(existsSync(run.stagingDir)).toBe(false);
    expect(existsSync(run.journalPath)).toBe(false);
    expect(existsSync(join(dir, `${SHA}.json`))).toBe(false);
  });
});

// Flips one byte of the VM disk without changing any size, as a stray editor would.
async function tamperWithDisk(stagingDir: string, at: number): Promise<void> {
  const path = join(stagingDir, 'Sample.pvm/harddisk.hdd/data.hds');
  const bytes = await readFile(path);
  bytes[at] = bytes[at]! ^ 0xff;
  await writeFile(path, bytes);
}
