import { mkdir, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { stagingFailure, writeFailure } from '../../electron/archive/archive-errors.ts';
import { createTarExtractor } from '../../electron/archive/tar-extractor.ts';
import { extractZip } from '../../electron/archive/zip-extractor.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';
import { rawTar } from './helpers/raw-tar.ts';
import { zipOf } from './helpers/raw-zip.ts';

function errno(code: string): Error {
  return Object.assign(new Error(`${code}: simulated`), { code });
}

describe('mapping write failures', () => {
  it.each([
    ['ENOSPC', 'INSUFFICIENT_DISK_SPACE'],
    ['EDQUOT', 'INSUFFICIENT_DISK_SPACE'],
    ['EACCES', 'FOLDER_NOT_WRITABLE'],
    ['EPERM', 'FOLDER_NOT_WRITABLE'],
    ['EROFS', 'FOLDER_NOT_WRITABLE'],
  ])('maps %s to %s', (code, expected) => {
    expect(writeFailure(errno(code), 'staging')?.code).toBe(expected);
  });

  it('leaves other errors to the caller, and stagingFailure calls them REGISTRATION_FAILED', () => {
    expect(writeFailure(errno('ENOTDIR'), 'staging')).toBeUndefined();
    expect(stagingFailure(errno('ENOTDIR'), 'staging').code).toBe('REGISTRATION_FAILED');
  });
});

describe('extractors whose staging folder cannot be made', () => {
  const tempDir = useTempDirs();

  it('the tar extractor rejects with REGISTRATION_FAILED', async () => {
    const root = await tempDir();
    await writeFile(join(root, 'file'), 'in the way');
    const extractor = createTarExtractor({ stagingDir: join(root, 'file', 'staging') });
    await expect(extractor.write(rawTar([{ path: 'a', body: 'x' }]))).rejects.toMatchObject({
      code: 'REGISTRATION_FAILED',
    });
  });

  it('extractZip rejects with REGISTRATION_FAILED', async () => {
    const root = await tempDir();
    await writeFile(join(root, 'file'), 'in the way');
    await writeFile(join(root, 'image.zip'), await zipOf([{ name: 'a', data: 'x' }]));
    await expect(
      extractZip(join(root, 'image.zip'), join(root, 'file', 'staging')),
    ).rejects.toMatchObject({
      code: 'REGISTRATION_FAILED',
    });
  });

  it('extractZip calls a missing zip ARCHIVE_INVALID and removes the staging folder', async () => {
    const root = await tempDir();
    await mkdir(join(root, 'staging'));
    await expect(
      extractZip(join(root, 'missing.zip'), join(root, 'staging')),
    ).rejects.toMatchObject({
      code: 'ARCHIVE_INVALID',
    });
    expect(await readdir(root)).toEqual([]);
  });
});
