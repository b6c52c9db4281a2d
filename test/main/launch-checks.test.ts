import { mkdir, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  NO_ELECTRON_LINE,
  findElectronBinary,
  isStale,
  mtimeOf,
  newestMtime,
} from '../../electron/launch/launch-checks.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const tempDir = useTempDirs();
const binary = join('node_modules', 'electron', 'dist', 'electron');

describe('findElectronBinary', () => {
  it('falls back when the electron package says its download never happened', () => {
    const result = findElectronBinary(
      () => {
        throw new Error(
          'Electron failed to install correctly, please delete node_modules/electron',
        );
      },
      () => true,
    );
    expect(result).toEqual({ found: false, reason: expect.stringMatching(/failed to install/) });
  });

  it('falls back when the named binary is not on disk', () => {
    expect(
      findElectronBinary(
        () => binary,
        () => false,
      ),
    ).toMatchObject({ found: false });
    expect(
      findElectronBinary(
        () => undefined,
        () => true,
      ),
    ).toMatchObject({ found: false });
  });

  it('finds the binary the package names when it exists', () => {
    const checked: string[] = [];
    const exists = (path: string) => (checked.push(path), true);
    expect(findElectronBinary(() => binary, exists)).toEqual({ found: true, path: binary });
    expect(checked).toEqual([binary]);
  });

  it('announces browser mode in one line', () => {
    expect(NO_ELECTRON_LINE).not.toContain('\n');
    expect(NO_ELECTRON_LINE).toMatch(/^Electron is not installed here.*browser/);
  });
});

describe('build staleness', () => {
  it('rebuilds a missing output or one older than its newest source', () => {
    expect(isStale(undefined, 0)).toBe(true);
    expect(isStale(100, 200)).toBe(true);
    expect(isStale(200, 200)).toBe(false);
  });

  it('finds the newest file in nested folders and ignores missing ones', async () => {
    const dir = await tempDir();
    await mkdir(join(dir, 'a', 'deep'), { recursive: true });
    await writeFile(join(dir, 'a', 'old.ts'), '');
    await writeFile(join(dir, 'a', 'deep', 'new.ts'), '');
    await utimes(join(dir, 'a', 'old.ts'), 1_000, 1_000);
    await utimes(join(dir, 'a', 'deep', 'new.ts'), 2_000, 2_000);
    expect(await newestMtime([join(dir, 'a'), join(dir, 'missing')])).toBe(2_000_000);
    expect(await newestMtime([join(dir, 'missing')])).toBe(0);
    expect(await mtimeOf(join(dir, 'missing.ts'))).toBeUndefined();
  });
});
