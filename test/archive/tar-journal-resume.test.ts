import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { appendFile, rm, stat, truncate, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  createTarExtractor,
  resumeTarExtractor,
  type StreamingExtractor,
} from '../../electron/archive/tar-extractor.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';
import { extractBytes } from './helpers/extract-helpers.ts';
import { boundariesOf, gnuTarOfSampleVm } from './helpers/journal-archive.ts';
import { treeContents } from './helpers/sample-vm.ts';

const CHUNK = 64 * 1024;

async function feed(extractor: StreamingExtractor, bytes: Buffer): Promise<void> {
  for (let at = 0; at < bytes.length; at += CHUNK)
    await extractor.write(bytes.subarray(at, at + CHUNK));
}

async function collect(iterable: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of iterable) chunks.push(Buffer.from(chunk));
  return Buffer.concat(chunks);
}

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

describe('a journaled extraction stopped and resumed', () => {
  const tempDir = useTempDirs();

  async function setup() {
    const dir = await tempDir();
    const archive = await gnuTarOfSampleVm(dir);
    const reference = join(dir, 'reference');
    const summary = await extractBytes(archive, reference);
    const stagingDir = join(dir, 'staging');
    const journalPath = join(dir, 'image.journal');
    return { dir, archive, reference, summary, stagingDir, journalPath };
  }

  it('keeps no copy of the archive: the staged files and a small journal are all', async () => {
    const { archive, stagingDir, journalPath } = await setup();
    const extractor = createTarExtractor({ stagingDir, journalPath, format: 'tar' });
    expect(extractor.keepsBytes).toBe(true);
    await feed(extractor, archive);
    const { entries } = await extractor.end();
    // Headers only: a few hundred bytes of base64 per entry, whatever the size of the data.
    expect((await stat(journalPath)).size).toBeLessThan(entries * 2048);
  });

  it('resumes from every boundary to the same bytes, the same SHA-256 and the same files', async () => {
    const { archive, reference, summary, stagingDir, journalPath } = await setup();
    const cuts = boundariesOf(archive);
    expect(cuts.length).toBeGreaterThan(40);
    for (const cut of cuts) {
      const first = createTarExtractor({ stagingDir, journalPath, format: 'tar' });
      await feed(first, archive.subarray(0, cut));
      await first.suspend();

      const resumed = await resumeTarExtractor({ stagingDir, journalPath });
      const held = resumed?.held ?? 0;
      // Only literal bytes not yet complete (padding and headers up to the next data) come again.
      expect(held, `cut ${cut}`).toBeLessThanOrEqual(cut);
      expect(cut - held, `cut ${cut}`).toBeLessThan(2048);
      const replayed = resumed ? await collect(resumed.replay()) : Buffer.alloc(0);
      expect(replayed.equals(archive.subarray(0, held)), `cut ${cut}`).toBe(true);

      const extractor =
        resumed?.extractor ?? createTarExtractor({ stagingDir, journalPath, format: 'tar' });
      await feed(extractor, archive.subarray(held));
      expect(await extractor.end(), `cut ${cut}`).toEqual(summary);
      expect(sha256(Buffer.concat([replayed, archive.subarray(held)]))).toBe(sha256(archive));
      expect(await treeContents(stagingDir)).toEqual(await treeContents(reference));
      await rm(stagingDir, { recursive: true, force: true });
    }
  });

  it('finds nothing to resume when no journal was written', async () => {
    const { stagingDir, journalPath } = await setup();
    expect(await resumeTarExtractor({ stagingDir, journalPath })).toBeUndefined();
  });

  async function stoppedHalfway() {
    const context = await setup();
    const extractor = createTarExtractor({
      stagingDir: context.stagingDir,
      journalPath: context.journalPath,
      format: 'tar',
    });
    await feed(extractor, context.archive.subarray(0, context.archive.length - 4096));
    await extractor.suspend();
    return context;
  }

  it.each([
    ['a staged file was removed', (staging: string) => rm(join(staging, 'Sample.pvm/config.pvs'))],
    [
      'a staged file grew',
      (staging: string) => appendFile(join(staging, 'Sample.pvm/config.pvs'), 'extra'),
    ],
    [
      'a finished staged file was cut short',
      (staging: string) => truncate(join(staging, 'Sample.pvm/harddisk.hdd/data.hds'), 10),
    ],
  ])(
    'refuses to resume when %s, and removes the staging folder and the journal',
    async (_, edit) => {
      const { stagingDir, journalPath } = await stoppedHalfway();
      await edit(stagingDir);
      await expect(resumeTarExtractor({ stagingDir, journalPath })).rejects.toMatchObject({
        name: 'StagedArchiveMismatch',
      });
      expect(existsSync(stagingDir)).toBe(false);
      expect(existsSync(journalPath)).toBe(false);
    },
  );

  it('stops the replay when a staged folder became a file', async () => {
    const { stagingDir, journalPath } = await stoppedHalfway();
    await rm(join(stagingDir, 'Sample.pvm/Snapshots/empty'), { recursive: true });
    await writeFile(join(stagingDir, 'Sample.pvm/Snapshots/empty'), 'not a folder');
    const resumed = await resumeTarExtractor({ stagingDir, journalPath });
    await expect(collect(resumed!.replay())).rejects.toMatchObject({
      name: 'StagedArchiveMismatch',
    });
  });

  it('ignores a journal that describes another staging folder', async () => {
    const { dir, stagingDir, journalPath } = await stoppedHalfway();
    await expect(
      resumeTarExtractor({ stagingDir: join(dir, 'elsewhere'), journalPath }),
    ).rejects.toMatchObject({ name: 'StagedArchiveMismatch' });
    expect(existsSync(stagingDir)).toBe(true);
  });

  it('ignores a journal that is not one, removing what it would describe', async () => {
    const { stagingDir, journalPath } = await stoppedHalfway();
    await writeFile(journalPath, 'not a journal\n');
    expect(await resumeTarExtractor({ stagingDir, journalPath })).toBeUndefined();
    expect(existsSync(stagingDir)).toBe(false);
  });

  it('resumes after a journal line torn in the middle (a crash mid-append)', async () => {
    const { archive, stagingDir, journalPath, reference } = await stoppedHalfway();
    await appendFile(journalPath, '{"k":"e","o":12');
    const resumed = await resumeTarExtractor({ stagingDir, journalPath });
    const replayed = await collect(resumed!.replay());
    await feed(resumed!.extractor, archive.subarray(replayed.length));
    await resumed!.extractor.end();
    expect(await treeContents(stagingDir)).toEqual(await treeContents(reference));
  });
});
