import { randomBytes } from 'node:crypto';
import { mkdir, open, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { detectArchiveFormat, SNIFF_BYTES } from '../../electron/archive/detect-format.ts';
import { makeImage } from '../../electron/archive/make-image.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';
import { zipOf } from './helpers/raw-zip.ts';

async function headOf(path: string): Promise<Uint8Array> {
  const file = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(SNIFF_BYTES);
    const { bytesRead } = await file.read(buffer, 0, SNIFF_BYTES, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await file.close();
  }
}

describe('detectArchiveFormat', () => {
  const tempDir = useTempDirs();
  const image = (format: 'pvmp' | 'zip', gzip: boolean) => async () => {
    const outDir = join(await tempDir(), 'out');
    await mkdir(outDir);
    const made = await makeImage({
      name: 'Sniff',
      arch: 'arm64',
      sizeBytes: 4096,
      outDir,
      format,
      gzip,
    });
    return made.archivePath;
  };

  it('recognises a plain .pvmp as tar from its ustar magic', async () => {
    expect(detectArchiveFormat(await headOf(await image('pvmp', false)()))).toBe('tar');
  });

  it('recognises a gzip-compressed .pvmp as tar.gz', async () => {
    expect(detectArchiveFormat(await headOf(await image('pvmp', true)()))).toBe('tar.gz');
  });

  it('recognises a zip image, whatever its extension', async () => {
    const path = await image('zip', false)();
    const renamed = join(await tempDir(), 'looks-like.pvmp');
    await writeFile(renamed, await zipOf([{ name: 'a.txt', data: 'a' }]));
    expect(detectArchiveFormat(await headOf(path))).toBe('zip');
    expect(detectArchiveFormat(await headOf(renamed))).toBe('zip');
  });

  it('recognises an empty zip by its end-of-central-directory signature', async () => {
    const path = join(await tempDir(), 'empty.zip');
    await writeFile(path, await zipOf([]));
    expect(detectArchiveFormat(await headOf(path))).toBe('zip');
  });

  it('recognises an old GNU tar header ("ustar  \\0")', () => {
    const head = Buffer.alloc(512);
    head.write('ustar  \0', 257, 'latin1');
    expect(detectArchiveFormat(head)).toBe('tar');
  });

  it.each([
    ['<!DOCTYPE html><html><body>Sign in</body></html>'],
    ['\ufeff  \n<html lang="en">'],
    ['<HEAD><title>x</title>'],
    ['\r\n\t<body>'],
    ['<!-- SharePoint --><div>'],
  ])('recognises a web page saved instead of the image: %j', async (text) => {
    const path = join(await tempDir(), 'download.pvmp');
    await writeFile(path, text);
    expect(detectArchiveFormat(await headOf(path))).toBe('html');
  });

  it('calls random bytes and plain text unknown', async () => {
    const path = join(await tempDir(), 'noise.bin');
    const noise = randomBytes(4096);
    noise[0] = 0; // not by chance a gzip or zip signature
    await writeFile(path, noise);
    expect(detectArchiveFormat(await headOf(path))).toBe('unknown');
    expect(detectArchiveFormat(Buffer.from('hello, this is not an archive'))).toBe('unknown');
  });

  it('decides on inputs shorter than SNIFF_BYTES, including empty ones', () => {
    expect(detectArchiveFormat(new Uint8Array([0x1f, 0x8b]))).toBe('tar.gz');
    expect(detectArchiveFormat(Buffer.from('PK\x03\x04', 'latin1'))).toBe('zip');
    expect(detectArchiveFormat(Buffer.from('<html>'))).toBe('html');
    expect(detectArchiveFormat(new Uint8Array([0x1f]))).toBe('unknown');
    expect(detectArchiveFormat(Buffer.from('PK'))).toBe('unknown');
    expect(detectArchiveFormat(new Uint8Array(0))).toBe('unknown');
    expect(detectArchiveFormat(Buffer.alloc(261))).toBe('unknown');
  });
});
