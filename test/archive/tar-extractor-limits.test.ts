import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ARCHIVE_LIMITS } from '../../electron/archive/archive-limits.ts';
import { createTarExtractor } from '../../electron/archive/tar-extractor.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';
import { extractBytes } from './helpers/extract-helpers.ts';
import { rawTar } from './helpers/raw-tar.ts';

const MiB = 1024 * 1024;

describe('bytes after the end-of-archive marker', () => {
  const tempDir = useTempDirs();
  const archive = rawTar([{ path: 'VM.pvm/config.pvs', body: '<x/>' }]);

  it('are hashed and dropped: a few KiB of padding, as GNU tar writes, are fine', async () => {
    const staging = join(await tempDir(), 'staging');
    const padded = Buffer.concat([archive, Buffer.alloc(10 * 1024)]);
    await expect(extractBytes(padded, staging)).resolves.toMatchObject({ entries: 1 });
  });

  it('end as ARCHIVE_INVALID past 1 MiB, without keeping them in memory', async () => {
    const staging = join(await tempDir(), 'staging');
    const extractor = createTarExtractor({ stagingDir: staging });
    const zeros = Buffer.alloc(MiB);
    let accepted = 0;
    const outcome = (async () => {
      await extractor.write(archive);
      // 128 MiB would follow; the extractor must refuse early, not hold them.
      for (let i = 0; i < 128; i += 1) {
        await extractor.write(zeros);
        accepted += zeros.length;
      }
      return extractor.end();
    })();
    await expect(outcome).rejects.toMatchObject({
      code: 'ARCHIVE_INVALID',
      message: expect.stringContaining('more than 1 MiB of data after its end-of-archive marker'),
    });
    expect(accepted).toBeLessThanOrEqual(2 * MiB);
    expect(existsSync(staging)).toBe(false);
  });

  it('end as ARCHIVE_INVALID inside a gzip stream too (a small file that inflates to much)', async () => {
    const staging = join(await tempDir(), 'staging');
    const bomb = gzipSync(Buffer.concat([archive, Buffer.alloc(64 * MiB)]));
    expect(bomb.length).toBeLessThan(MiB);
    await expect(extractBytes(bomb, staging)).rejects.toMatchObject({ code: 'ARCHIVE_INVALID' });
    expect(existsSync(staging)).toBe(false);
  });
});

describe('free space while unpacking', () => {
  const tempDir = useTempDirs();
  const archive = rawTar([{ path: 'VM.pvm/disk.hds', body: 'disk' }]);
  const keepTooMuch = { ...DEFAULT_ARCHIVE_LIMITS, keepFreeBytes: 2 ** 60 };

  it('stops before a file that would leave less than the space to keep free', async () => {
    const staging = join(await tempDir(), 'staging');
    await expect(extractBytes(archive, staging, { limits: keepTooMuch })).rejects.toMatchObject({
      code: 'INSUFFICIENT_DISK_SPACE',
      message: expect.stringContaining('kept free'),
    });
    expect(existsSync(staging)).toBe(false);
  });

  it('keeps the staged files and their journal: a full disk is not the archive’s fault', async () => {
    const dir = await tempDir();
    const staging = join(dir, 'staging');
    const journalPath = join(dir, 'image.journal');
    const extractor = createTarExtractor({
      stagingDir: staging,
      journalPath,
      format: 'tar',
      limits: keepTooMuch,
    });
    await expect(extractor.write(archive)).rejects.toMatchObject({
      code: 'INSUFFICIENT_DISK_SPACE',
    });
    await extractor.suspend();
    expect(existsSync(staging)).toBe(true);
    expect(existsSync(journalPath)).toBe(true);
  });
});
