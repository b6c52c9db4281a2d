import { lstat, readFile, readlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractZip } from '../../electron/archive/zip-extractor.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';
import { snapshot } from './helpers/fs-snapshot.ts';
import { declareUncompressedSize, renameInZip, zipOf, type ZipItem } from './helpers/raw-zip.ts';
import { DEFAULT_ARCHIVE_LIMITS } from '../../electron/archive/archive-limits.ts';

const LINK = 0o120777;

describe('extractZip', () => {
  const tempDir = useTempDirs();

  async function zipFile(root: string, zip: Buffer): Promise<string> {
    const path = join(root, 'image.zip');
    await writeFile(path, zip);
    return path;
  }

  /** Extracts into <root>/staging and checks only the zip itself is left under <root>. */
  async function expectRefused(zip: Buffer, code: string, text: string) {
    const root = await tempDir();
    const path = await zipFile(root, zip);
    const outcome = extractZip(path, join(root, 'staging'));
    await expect(outcome).rejects.toMatchObject({ code });
    await expect(outcome).rejects.toThrow(text);
    expect(await snapshot(root)).toEqual(['image.zip']);
  }

  it('unpacks files, folders and an inside symbolic link with their modes', async () => {
    const root = await tempDir();
    const items: ZipItem[] = [
      { name: 'VM.pvm/', directory: true },
      { name: 'VM.pvm/config.pvs', data: '<x/>' },
      { name: 'VM.pvm/harddisk.hdd/data.hds', data: 'disk', mode: 0o104755 },
      { name: 'VM.pvm/current.hds', data: 'harddisk.hdd/data.hds', mode: LINK },
    ];
    const staging = join(root, 'staging');
    const summary = await extractZip(await zipFile(root, await zipOf(items)), staging);
    expect(summary).toEqual({ entries: 4, unpackedBytes: 4 + 4 + 21 });
    expect(await readFile(join(staging, 'VM.pvm/current.hds'), 'utf8')).toBe('disk');
    expect(await readlink(join(staging, 'VM.pvm/current.hds'))).toBe('harddisk.hdd/data.hds');
    expect((await lstat(join(staging, 'VM.pvm/harddisk.hdd/data.hds'))).mode & 0o7777).toBe(0o755);
  });

  it('refuses a zip-slip entry "../x"', async () => {
    const zip = renameInZip(
      await zipOf([{ name: 'zz/evil', data: 'pwned' }]),
      'zz/evil',
      '../evil',
    );
    await expectRefused(zip, 'ARCHIVE_UNSAFE', '../evil');
  });

  it('refuses a zip-slip entry written with backslashes', async () => {
    const zip = renameInZip(
      await zipOf([{ name: 'zz/evil', data: 'pwned' }]),
      'zz/evil',
      '..\\evil',
    );
    await expectRefused(zip, 'ARCHIVE_UNSAFE', 'evil');
  });

  it('refuses an absolute path and a Windows drive path', async () => {
    const absolute = renameInZip(
      await zipOf([{ name: 'zprovisim-evil', data: 'x' }]),
      'zprovisim-evil',
      '/provisim-evil',
    );
    await expectRefused(absolute, 'ARCHIVE_UNSAFE', '/provisim-evil');
    const drive = renameInZip(await zipOf([{ name: 'zz/evil', data: 'x' }]), 'zz/evil', 'C:/evil');
    await expectRefused(drive, 'ARCHIVE_UNSAFE', 'C:/evil');
  });

  it('refuses symbolic links to an absolute path or out of the folder', async () => {
    await expectRefused(
      await zipOf([{ name: 'VM.pvm/etc', data: '/etc', mode: LINK }]),
      'ARCHIVE_UNSAFE',
      '/etc',
    );
    await expectRefused(
      await zipOf([{ name: 'VM.pvm/x', data: '../../x', mode: LINK }]),
      'ARCHIVE_UNSAFE',
      'VM.pvm/x',
    );
  });

  it('refuses a link that would be created through another link', async () => {
    const zip = await zipOf([
      { name: 'up', data: '.', mode: LINK },
      { name: 'up/l', data: '..', mode: LINK },
    ]);
    await expectRefused(zip, 'ARCHIVE_UNSAFE', 'up/l');
  });

  it('never writes a file through a link, whatever the order of entries', async () => {
    const root = await tempDir();
    const zip = await zipOf([
      { name: 'up', data: '.', mode: LINK },
      { name: 'up/file', data: 'x' },
    ]);
    // The file lands in a real folder "up", so the link of the same name cannot be made.
    await expect(extractZip(await zipFile(root, zip), join(root, 'staging'))).rejects.toMatchObject(
      {
        code: 'ARCHIVE_INVALID',
      },
    );
    expect(await snapshot(root)).toEqual(['image.zip']);
  });

  it('refuses a symbolic link with an overlong target', async () => {
    const zip = await zipOf([{ name: 'VM.pvm/long', data: 'a/'.repeat(3000), mode: LINK }]);
    await expectRefused(zip, 'ARCHIVE_UNSAFE', 'overlong');
  });

  it('refuses FIFO and device entries', async () => {
    await expectRefused(await zipOf([{ name: 'fifo', mode: 0o010644 }]), 'ARCHIVE_UNSAFE', 'fifo');
    await expectRefused(await zipOf([{ name: 'dev', mode: 0o020644 }]), 'ARCHIVE_UNSAFE', 'dev');
  });

  it('refuses more entries or bytes than the limits', async () => {
    const root = await tempDir();
    const path = await zipFile(
      root,
      await zipOf([
        { name: 'a', data: 'x'.repeat(600) },
        { name: 'b', data: 'y'.repeat(600) },
      ]),
    );
    await expect(
      extractZip(path, join(root, 's1'), { maxEntries: 1, maxUnpackedBytes: 1e9 }),
    ).rejects.toMatchObject({
      code: 'ARCHIVE_UNSAFE',
    });
    await expect(
      extractZip(path, join(root, 's2'), { maxEntries: 10, maxUnpackedBytes: 1000 }),
    ).rejects.toMatchObject({
      code: 'ARCHIVE_UNSAFE',
    });
    expect(await snapshot(root)).toEqual(['image.zip']);
  });

  it('refuses a zip whose entries declare more than deflate can hold (a zip bomb), before writing', async () => {
    const honest = await zipOf([{ name: 'VM.pvm/disk.hds', data: 'x'.repeat(4096) }]);
    await expectRefused(
      declareUncompressedSize(honest, 0xf0000000),
      'ARCHIVE_UNSAFE',
      'more than 1100 times its own size',
    );
  });

  it('stops before a file that would leave less free space than asked to keep', async () => {
    const root = await tempDir();
    const zip = await zipOf([{ name: 'VM.pvm/disk.hds', data: 'disk' }]);
    const outcome = extractZip(await zipFile(root, zip), join(root, 'staging'), {
      ...DEFAULT_ARCHIVE_LIMITS,
      keepFreeBytes: 2 ** 60,
    });
    await expect(outcome).rejects.toMatchObject({
      code: 'INSUFFICIENT_DISK_SPACE',
      message: expect.stringContaining('kept free'),
    });
    expect(await snapshot(root)).toEqual(['image.zip']);
  });

  it('calls a file that is not a zip ARCHIVE_INVALID', async () => {
    await expectRefused(
      Buffer.from('<html><body>Sign in</body></html>'),
      'ARCHIVE_INVALID',
      'not a readable',
    );
  });

  it('calls a truncated zip ARCHIVE_INVALID', async () => {
    const zip = await zipOf([{ name: 'a', data: 'x'.repeat(5000) }]);
    await expectRefused(zip.subarray(0, zip.length - 30), 'ARCHIVE_INVALID', 'damaged');
  });

  it('calls a zip with a damaged local header ARCHIVE_INVALID and removes what it wrote', async () => {
    const zip = await zipOf([
      { name: 'first', data: 'fine' },
      { name: 'second', data: 'broken' },
    ]);
    const second = zip.indexOf(Buffer.from('PK\x03\x04', 'latin1'), 4);
    zip.write('XXXX', second, 'latin1');
    await expectRefused(zip, 'ARCHIVE_INVALID', 'damaged');
  });

  it('calls a zip holding the same file twice ARCHIVE_INVALID', async () => {
    const zip = renameInZip(
      await zipOf([
        { name: 'VM.pvm/file-one', data: '1' },
        { name: 'VM.pvm/file-two', data: '2' },
      ]),
      'file-two',
      'file-one',
    );
    await expectRefused(zip, 'ARCHIVE_INVALID', 'twice');
  });
});
