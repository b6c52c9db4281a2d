import { createHash } from 'node:crypto';
import { readdir, readFile, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { packVm } from '../../electron/archive/pack-vm.ts';
import { extractZip } from '../../electron/archive/zip-extractor.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';
import { extractBytes } from './helpers/extract-helpers.ts';
import { treeContents, writeSampleVm } from './helpers/sample-vm.ts';

describe('pack then extract gives back the same VM', () => {
  const tempDir = useTempDirs();

  it.each([
    ['pvmp', false],
    ['pvmp', true],
  ] as const)(
    'round-trips a %s archive (compressed: %s) through the streaming extractor',
    async (format, compress) => {
      const dir = await tempDir();
      const pvmDir = await writeSampleVm(dir);
      const packed = await packVm(pvmDir, { format, compress });
      expect(packed.archivePath).toBe(join(dir, 'Sample.pvmp'));
      const staging = join(dir, 'staging');
      const summary = await extractBytes(await readFile(packed.archivePath), staging);
      expect(summary.entries).toBe(8);
      expect(await treeContents(join(staging, 'Sample.pvm'))).toEqual(await treeContents(pvmDir));
    },
  );

  it('round-trips a stored zip through extractZip', async () => {
    const dir = await tempDir();
    const pvmDir = await writeSampleVm(dir);
    const packed = await packVm(pvmDir, { format: 'zip', compress: false });
    expect(packed.archivePath).toBe(join(dir, 'Sample.zip'));
    const staging = join(dir, 'staging');
    const summary = await extractZip(packed.archivePath, staging);
    expect(summary.entries).toBe(8);
    expect(await treeContents(join(staging, 'Sample.pvm'))).toEqual(await treeContents(pvmDir));
  });

  it('round-trips a deflated zip, the default', async () => {
    const dir = await tempDir();
    const pvmDir = await writeSampleVm(dir);
    const packed = await packVm(pvmDir, { format: 'zip', out: join(dir, 'packed.zip') });
    await extractZip(packed.archivePath, join(dir, 'staging'));
    expect(await treeContents(join(dir, 'staging', 'Sample.pvm'))).toEqual(
      await treeContents(pvmDir),
    );
  });
});

describe('packVm', () => {
  const tempDir = useTempDirs();

  it.each([
    ['pvmp', true],
    ['pvmp', false],
    ['zip', true],
    ['zip', false],
  ] as const)(
    'gives the same bytes when packing the same VM twice (%s, compressed: %s)',
    async (format, compress) => {
      const dir = await tempDir();
      const pvmDir = await writeSampleVm(dir, { dataBytes: 3 * 2 ** 20 + 123 });
      const first = await packVm(pvmDir, { format, compress, out: join(dir, `one.${format}`) });
      const second = await packVm(pvmDir, { format, compress, out: join(dir, `two.${format}`) });
      expect(second.sha256).toBe(first.sha256);
      const same = (await readFile(second.archivePath)).equals(await readFile(first.archivePath));
      expect(same).toBe(true);
    },
  );

  it('writes <Name>.sha256.txt exactly as shasum -a 256 prints it, hashed while writing', async () => {
    const dir = await tempDir();
    const packed = await packVm(await writeSampleVm(dir, { name: 'Win 11 Pro' }));
    const bytes = await readFile(packed.archivePath);
    const expected = createHash('sha256').update(bytes).digest('hex');
    expect(packed.sha256).toBe(expected);
    expect(packed.sizeBytes).toBe(bytes.length);
    expect(packed.sha256Path).toBe(join(dir, 'Win 11 Pro.sha256.txt'));
    expect(await readFile(packed.sha256Path, 'utf8')).toBe(`${expected}  Win 11 Pro.pvmp\n`);
  });

  it('names the archive top folder <Name>.pvm even when the VM folder lacks the extension', async () => {
    const dir = await tempDir();
    const pvmDir = await writeSampleVm(dir);
    await rename(pvmDir, join(dir, 'Plain'));
    const packed = await packVm(join(dir, 'Plain'), {});
    expect(packed.archivePath).toBe(join(dir, 'Plain.pvmp'));
    const staging = join(dir, 'staging');
    await extractBytes(await readFile(packed.archivePath), staging);
    expect(await treeContents(join(staging, 'Plain.pvm'))).toEqual(
      await treeContents(join(dir, 'Plain')),
    );
  });

  it('fails when the archive cannot be written and leaves no partial file', async () => {
    const dir = await tempDir();
    const pvmDir = await writeSampleVm(dir);
    await expect(packVm(pvmDir, { out: join(dir, 'missing', 'x.pvmp') })).rejects.toMatchObject({
      code: 'ENOENT',
    });
    expect((await readdir(dir)).sort()).toEqual(['Sample.pvm']);
  });

  it('refuses a folder without config.pvs with VM_INVALID and writes nothing', async () => {
    const dir = await tempDir();
    await expect(packVm(join(dir, 'Nothing.pvm'), {})).rejects.toMatchObject({
      code: 'VM_INVALID',
    });
    await expect(readFile(join(dir, 'Nothing.pvmp'))).rejects.toThrow();
  });
});
