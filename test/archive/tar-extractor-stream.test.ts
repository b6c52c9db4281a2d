import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { makeImage } from '../../electron/archive/make-image.ts';
import { packVm } from '../../electron/archive/pack-vm.ts';
import { createTarExtractor } from '../../electron/archive/tar-extractor.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';
import { extractBytes } from './helpers/extract-helpers.ts';
import { snapshot } from './helpers/fs-snapshot.ts';
import { fixHeaderChecksum, rawTar } from './helpers/raw-tar.ts';
import { treeContents, writeSampleVm } from './helpers/sample-vm.ts';

const exists = (path: string) =>
  lstat(path).then(
    () => true,
    () => false,
  );

describe('streaming tar extractor', () => {
  const tempDir = useTempDirs();

  it.each([1, 7, 511, 513])('unpacks the same files when fed %i-byte chunks', async (chunkSize) => {
    const dir = await tempDir();
    const pvmDir = await writeSampleVm(dir, { dataBytes: 20_000 });
    const packed = await packVm(pvmDir, { compress: chunkSize === 7 });
    const staging = join(dir, 'staging');
    await extractBytes(await readFile(packed.archivePath), staging, { chunkSize });
    expect(await treeContents(join(staging, 'Sample.pvm'))).toEqual(await treeContents(pvmDir));
  });

  it.each([false, true])('unpacks a 3 MiB image fed in 1 MiB chunks (gzip: %s)', async (gzip) => {
    const dir = await tempDir();
    const made = await makeImage({
      name: 'Chunky',
      arch: 'x86_64',
      sizeBytes: 3 * 2 ** 20,
      outDir: dir,
      gzip,
    });
    const staging = join(dir, 'staging');
    const summary = await extractBytes(await readFile(made.archivePath), staging, {
      chunkSize: 2 ** 20,
    });
    expect(summary.entries).toBe(5);
    expect(summary.unpackedBytes).toBeGreaterThan(3 * 2 ** 20);
    const disk = join(staging, 'Chunky.pvm', 'harddisk.hdd');
    const hds = (await snapshot(disk)).find((name) => name.endsWith('.hds'))!;
    expect((await lstat(join(disk, hds))).size).toBe(3 * 2 ** 20);
  });

  it('keeps an extraction whose chunks were all written through one write call', async () => {
    const staging = join(await tempDir(), 'staging');
    const summary = await extractBytes(rawTar([{ path: 'a/b', body: 'hello' }]), staging, {
      chunkSize: 1e9,
    });
    expect(summary).toEqual({ entries: 1, unpackedBytes: 5 });
    expect(await readFile(join(staging, 'a/b'), 'utf8')).toBe('hello');
  });
});

describe('streaming tar extractor on broken input', () => {
  const tempDir = useTempDirs();

  async function expectInvalid(archive: Buffer, chunkSize?: number) {
    const root = await tempDir();
    const staging = join(root, 'staging');
    await expect(extractBytes(archive, staging, { chunkSize })).rejects.toMatchObject({
      code: 'ARCHIVE_INVALID',
    });
    expect(await exists(staging)).toBe(false);
    expect(await snapshot(root)).toEqual([]);
  }

  it('rejects a tar cut off in the middle of a file', async () => {
    const archive = rawTar([{ path: 'VM.pvm/data.hds', body: randomBytes(10_000) }]);
    await expectInvalid(archive.subarray(0, 4096));
  });

  it('rejects a tar cut off between entries, before its end-of-archive marker', async () => {
    const archive = rawTar(
      [
        { path: 'a', body: 'x' },
        { path: 'b', body: 'y' },
      ],
      { endMarker: false },
    );
    await expectInvalid(archive.subarray(0, 1024));
  });

  it('rejects a gzip-compressed tar whose compressed stream is cut off', async () => {
    const archive = gzipSync(rawTar([{ path: 'data', body: randomBytes(100_000) }]));
    await expectInvalid(archive.subarray(0, archive.length - 5000), 4096);
  });

  it('rejects random bytes', async () => {
    const noise = randomBytes(100_000);
    noise[0] = 0;
    await expectInvalid(noise);
  });

  it('rejects a header with the ustar magic but a wrong checksum', async () => {
    const archive = rawTar([{ path: 'a', body: 'x' }]);
    archive.write('99999', 148, 'latin1');
    await expectInvalid(archive);
  });

  it('refuses, without hanging, a gzip stream whose tar starts with gzip magic again', async () => {
    const archive = rawTar([{ path: 'ab-sneaky', body: 'x' }]);
    archive[0] = 0x1f;
    archive[1] = 0x8b;
    fixHeaderChecksum(archive);
    const root = await tempDir();
    const staging = join(root, 'staging');
    // The magic bytes are the first entry's name: control characters, refused before writing.
    await expect(extractBytes(gzipSync(archive), staging)).rejects.toMatchObject({
      code: 'ARCHIVE_UNSAFE',
    });
    expect(await snapshot(root)).toEqual([]);
  });

  it('rejects gzip data that is not a tar', async () => {
    await expectInvalid(gzipSync(Buffer.from('just some text, not a tar archive'.repeat(40))));
  });

  it('rejects a zip, a web page and an empty stream as not a tar', async () => {
    await expectInvalid(Buffer.from('PK\x03\x04' + '\0'.repeat(600), 'latin1'));
    await expectInvalid(
      Buffer.from('<!DOCTYPE html><html><body>Sign in to SharePoint</body></html>'),
    );
    await expectInvalid(Buffer.alloc(0));
  });
});

describe('aborting the streaming tar extractor', () => {
  const tempDir = useTempDirs();

  it('removes what it wrote, including a staging folder that already held files', async () => {
    const root = await tempDir();
    const staging = join(root, 'staging');
    await mkdir(staging);
    await writeFile(join(staging, 'left-over'), 'x');
    const archive = rawTar([
      { path: 'VM.pvm/config.pvs', body: '<x/>' },
      { path: 'VM.pvm/data.hds', body: randomBytes(200_000) },
    ]);
    const extractor = createTarExtractor({ stagingDir: staging });
    await extractor.write(archive.subarray(0, 100_000));
    await extractor.abort();
    expect(await snapshot(root)).toEqual([]);
  });

  it('rejects later writes and end() with CANCELLED', async () => {
    const staging = join(await tempDir(), 'staging');
    const extractor = createTarExtractor({ stagingDir: staging });
    await extractor.write(rawTar([{ path: 'a', body: 'x' }], { endMarker: false }));
    await extractor.abort();
    await expect(extractor.write(Buffer.alloc(512))).rejects.toMatchObject({ code: 'CANCELLED' });
    await expect(extractor.end()).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(await exists(staging)).toBe(false);
  });

  it('can be aborted before any byte arrived', async () => {
    const root = await tempDir();
    const extractor = createTarExtractor({ stagingDir: join(root, 'staging') });
    await extractor.abort();
    await extractor.abort();
    expect(await snapshot(root)).toEqual([]);
  });

  it('keeps the first error when aborted after a refusal', async () => {
    const staging = join(await tempDir(), 'staging');
    const extractor = createTarExtractor({ stagingDir: staging });
    const refused = extractor.write(rawTar([{ path: '../evil', body: 'x' }]));
    await expect(refused).rejects.toMatchObject({ code: 'ARCHIVE_UNSAFE' });
    await extractor.abort();
    await expect(extractor.end()).rejects.toMatchObject({ code: 'ARCHIVE_UNSAFE' });
  });
});

describe('streaming tar extractor reports early', () => {
  const tempDir = useTempDirs();

  it('rejects the first write of a file that is not a tar', async () => {
    const extractor = createTarExtractor({ stagingDir: join(await tempDir(), 'staging') });
    const page = Buffer.from(`<!DOCTYPE html><html>${' '.repeat(600)}</html>`);
    await expect(extractor.write(page)).rejects.toMatchObject({
      code: 'ARCHIVE_INVALID',
      message: expect.stringContaining('html'),
    });
  });

  it('waits for SNIFF_BYTES before deciding, then unpacks', async () => {
    const staging = join(await tempDir(), 'staging');
    const extractor = createTarExtractor({ stagingDir: staging });
    const archive = rawTar([{ path: 'a', body: 'x' }]);
    await extractor.write(archive.subarray(0, 300));
    expect(await exists(staging)).toBe(false);
    await extractor.write(archive.subarray(300));
    await expect(extractor.end()).resolves.toEqual({ entries: 1, unpackedBytes: 1 });
  });
});
