import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { deterministicUuid, makeImage, parseSize } from '../../electron/archive/make-image.ts';
import { locateVmBundle, validateVmBundle } from '../../electron/archive/vm-bundle.ts';
import { extractZip } from '../../electron/archive/zip-extractor.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';
import { extractBytes } from './helpers/extract-helpers.ts';

const MiB = 2 ** 20;

describe('makeImage', () => {
  const tempDir = useTempDirs();
  const options = { name: 'Corp Win 11', arch: 'arm64', sizeBytes: 2 * MiB, seed: 's1' } as const;

  it('makes byte-identical archives from the same options', async () => {
    const first = await makeImage({ ...options, outDir: await tempDir() });
    const second = await makeImage({ ...options, outDir: await tempDir() });
    expect(second.sha256).toBe(first.sha256);
    expect((await readFile(first.archivePath)).equals(await readFile(second.archivePath))).toBe(
      true,
    );
  });

  it('makes a different archive for another seed, name or architecture', async () => {
    const base = await makeImage({ ...options, outDir: await tempDir() });
    const seeded = await makeImage({ ...options, seed: 's2', outDir: await tempDir() });
    const intel = await makeImage({ ...options, arch: 'x86_64', outDir: await tempDir() });
    expect(new Set([base.sha256, seeded.sha256, intel.sha256]).size).toBe(3);
  });

  it('writes a sha256.txt that matches an independent hash of the archive, byte for byte', async () => {
    const outDir = await tempDir();
    const made = await makeImage({ ...options, outDir });
    const expected = createHash('sha256')
      .update(await readFile(made.archivePath))
      .digest('hex');
    expect(made.sha256).toBe(expected);
    expect(await readFile(join(outDir, 'Corp Win 11.sha256.txt'), 'utf8')).toBe(
      `${expected}  Corp Win 11.pvmp\n`,
    );
  });

  it('leaves only the archive and its checksum in outDir', async () => {
    const outDir = await tempDir();
    await makeImage({ ...options, outDir, gzip: true });
    expect((await readdir(outDir)).sort()).toEqual(['Corp Win 11.pvmp', 'Corp Win 11.sha256.txt']);
  });

  it('makes a VM that unpacks and validates, with a data file of the asked size', async () => {
    const dir = await tempDir();
    const made = await makeImage({ ...options, outDir: dir });
    const staging = join(dir, 'staging');
    const summary = await extractBytes(await readFile(made.archivePath), staging);
    const bundle = await locateVmBundle(staging);
    const config = await validateVmBundle(bundle, 'arm64');
    expect(config).toMatchObject({
      name: 'Corp Win 11',
      arch: 'arm64',
      uuid: deterministicUuid('s1', 'Corp Win 11', 'arm64'),
    });
    const data = await readFile(join(bundle, 'harddisk.hdd', `${config.uuid}.hds`));
    expect(data.length).toBe(2 * MiB);
    expect(summary.unpackedBytes).toBeGreaterThan(2 * MiB);
    // Pseudo-random, so it does not compress away to nothing.
    expect(data.subarray(0, 64).equals(Buffer.alloc(64))).toBe(false);
  });

  it('makes a zip image that extractZip unpacks into a valid VM', async () => {
    const dir = await tempDir();
    const made = await makeImage({ ...options, arch: 'x86_64', outDir: dir, format: 'zip' });
    expect(made.archivePath).toBe(join(dir, 'Corp Win 11.zip'));
    await extractZip(made.archivePath, join(dir, 'staging'));
    await expect(
      validateVmBundle(await locateVmBundle(join(dir, 'staging')), 'x86_64'),
    ).resolves.toMatchObject({ arch: 'x86_64' });
  });

  it('refuses a size that is not a whole number of bytes', async () => {
    await expect(
      makeImage({ ...options, sizeBytes: 1.5, outDir: await tempDir() }),
    ).rejects.toThrow(TypeError);
  });
});

describe('deterministicUuid', () => {
  it('is shaped like a v4 uuid and stable', () => {
    const uuid = deterministicUuid('seed', 'name', 'arm64');
    expect(uuid).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(deterministicUuid('seed', 'name', 'arm64')).toBe(uuid);
    expect(deterministicUuid('seed', 'name', 'x86_64')).not.toBe(uuid);
  });
});

describe('parseSize', () => {
  it.each([
    ['64MiB', 64 * MiB],
    ['1GiB', 2 ** 30],
    ['512KiB', 512 * 1024],
    ['1000000', 1_000_000],
    ['2GB', 2_000_000_000],
    ['1.5 MiB', 1.5 * MiB],
    ['10b', 10],
    ['3mb', 3_000_000],
  ])('reads %j as %i bytes', (text, bytes) => {
    expect(parseSize(text)).toBe(bytes);
  });

  it.each([[''], ['abc'], ['-5MiB'], ['12 parsecs'], ['1e3'], ['99999999999TiB']])(
    'refuses %j with a TypeError',
    (text) => {
      expect(() => parseSize(text)).toThrow(TypeError);
      expect(() => parseSize(text)).toThrow(/is not a size/);
    },
  );
});
