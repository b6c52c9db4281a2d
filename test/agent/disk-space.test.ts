import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  assertDiskSpace,
  formatBytes,
  freeDiskBytes,
  nearestExisting,
} from '../../electron/agent/disk-space.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs();
const MB = 1_000_000;
const GB = 1_000_000_000;

describe('assertDiskSpace', () => {
  it('adds up needs on one volume and counts the headroom once', async () => {
    const dir = await tempDir();
    const asked: string[] = [];
    const needs = [
      { path: join(dir, 'downloads'), bytes: 3 * GB },
      { path: join(dir, 'Parallels', 'not-yet'), bytes: 3 * GB },
    ];
    const freeBytes = async (path: string) => {
      asked.push(path);
      return 6 * GB + 100 * MB;
    };
    await assertDiskSpace(needs, { headroomBytes: 100 * MB, freeBytes });
    expect(asked).toEqual([dir]);
    await expect(
      assertDiskSpace(needs, { headroomBytes: 100 * MB + 1, freeBytes }),
    ).rejects.toMatchObject({ code: 'INSUFFICIENT_DISK_SPACE' });
  });

  it('says how much is needed and free, and where', async () => {
    const dir = await tempDir();
    const target = join(dir, 'vms');
    const error = await assertDiskSpace([{ path: target, bytes: 2 * GB }], {
      freeBytes: async () => 700 * MB,
    }).catch(
      (e: unknown) => e as { code: string; message: string; details: Record<string, unknown> },
    );
    expect(error).toMatchObject({
      code: 'INSUFFICIENT_DISK_SPACE',
      details: { requiredBytes: 2 * GB + 512 * 1024 * 1024, freeBytes: 700 * MB },
    });
    expect(error?.message).toContain(target);
    expect(error?.message).toContain('2.5 GB needed');
    expect(error?.message).toContain('700 MB free');
  });

  it('ignores needs of zero bytes', async () => {
    const dir = await tempDir();
    await assertDiskSpace([{ path: dir, bytes: 0 }], {
      freeBytes: async () => {
        throw new Error('not asked');
      },
    });
  });

  it('measures the real free space by default', async () => {
    const dir = await tempDir();
    await assertDiskSpace([{ path: join(dir, 'x'), bytes: 1 }], { headroomBytes: 0 });
    await expect(
      assertDiskSpace([{ path: dir, bytes: Number.MAX_SAFE_INTEGER }]),
    ).rejects.toMatchObject({ code: 'INSUFFICIENT_DISK_SPACE' });
    expect(await freeDiskBytes(join(dir, 'missing', 'deeper'))).toBeGreaterThan(0);
  });
});

describe('helpers', () => {
  it('finds the nearest existing ancestor', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'a'));
    expect((await nearestExisting(join(dir, 'a', 'b', 'c'))).path).toBe(join(dir, 'a'));
  });

  it('formats sizes as Finder does', () => {
    expect(formatBytes(512 * 1024 * 1024)).toBe('537 MB');
    expect(formatBytes(12_345_678_901)).toBe('12.3 GB');
  });
});
