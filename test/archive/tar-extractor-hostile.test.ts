import { lstat, mkdir, readFile, readlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createTarExtractor } from '../../electron/archive/tar-extractor.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';
import { extractBytes } from './helpers/extract-helpers.ts';
import { snapshot } from './helpers/fs-snapshot.ts';
import { rawTar, type RawEntry } from './helpers/raw-tar.ts';

const exists = (path: string) =>
  lstat(path).then(
    () => true,
    () => false,
  );

describe('tar extractor refuses unsafe archives', () => {
  const tempDir = useTempDirs();

  /**
   * Extracts into <root>/staging, expects ARCHIVE_UNSAFE with `text` (the entry's name or why) in
   * its message, and checks nothing appeared elsewhere under <root>.
   */
  async function expectRefused(entries: RawEntry[] | ((root: string) => RawEntry[]), text: string) {
    const root = await tempDir();
    await writeFile(join(root, 'neighbour.txt'), 'untouched');
    const before = await snapshot(root);
    const staging = join(root, 'staging');
    const archive = rawTar(typeof entries === 'function' ? entries(root) : entries);
    const extractor = createTarExtractor({ stagingDir: staging });
    const outcome = (async () => {
      await extractor.write(archive);
      return extractor.end();
    })();
    await expect(outcome).rejects.toMatchObject({ code: 'ARCHIVE_UNSAFE' });
    await expect(outcome).rejects.toThrow(text);
    await extractor.abort();
    expect(await exists(staging)).toBe(false);
    expect(await snapshot(root)).toEqual(before);
    expect(await readFile(join(root, 'neighbour.txt'), 'utf8')).toBe('untouched');
    return root;
  }

  it("refuses an entry that climbs out with '..'", async () => {
    await expectRefused(
      [
        { path: 'VM.pvm/', type: 'Directory' },
        { path: '../evil', body: 'pwned' },
      ],
      '../evil',
    );
  });

  it("refuses '..' hidden in the middle of a path", async () => {
    await expectRefused([{ path: 'VM.pvm/../../evil', body: 'pwned' }], 'VM.pvm/../../evil');
  });

  it('refuses an absolute path instead of unpacking it relative to the folder', async () => {
    const root = await expectRefused(
      (dir) => [{ path: join(dir, 'abs-evil'), body: 'pwned' }],
      'abs-evil',
    );
    expect(await exists(join(root, 'abs-evil'))).toBe(false);
  });

  it('refuses a Windows drive-letter path', async () => {
    await expectRefused([{ path: 'C:/Windows/evil.dll', body: 'pwned' }], 'C:/Windows/evil.dll');
  });

  it('refuses a symbolic link to /etc', async () => {
    await expectRefused(
      [
        { path: 'VM.pvm/etc', type: 'SymbolicLink', linkpath: '/etc' },
        { path: 'VM.pvm/etc/evil', body: 'pwned' },
      ],
      '"VM.pvm/etc" is a symbolic link to the absolute path "/etc"',
    );
  });

  it('refuses a symbolic link whose target climbs out of the folder', async () => {
    await expectRefused(
      [{ path: 'VM.pvm/x', type: 'SymbolicLink', linkpath: '../../x' }],
      'VM.pvm/x',
    );
  });

  it('refuses a link target that climbs after going down (it could escape through another link)', async () => {
    await expectRefused(
      [{ path: 'VM.pvm/deep/l', type: 'SymbolicLink', linkpath: 'a/../../b' }],
      'VM.pvm/deep/l',
    );
  });

  it('refuses to write through a symbolic link that points inside', async () => {
    // "up" resolves to the staging folder itself; "up/l -> .." would then be outside it.
    await expectRefused(
      [
        { path: 'up', type: 'SymbolicLink', linkpath: '.' },
        { path: 'up/l', type: 'SymbolicLink', linkpath: '..' },
      ],
      'up/l',
    );
  });

  it("refuses a link at the top of the archive whose target is only '..'", async () => {
    await expectRefused(
      [{ path: 'up', type: 'SymbolicLink', linkpath: '..' }],
      '"up" is a symbolic link to "..", outside the archive folder',
    );
    await expectRefused(
      [{ path: './VM.pvm//up', type: 'SymbolicLink', linkpath: '../..' }],
      'outside the archive folder',
    );
  });

  it('refuses a symbolic link without a target', async () => {
    await expectRefused(
      [{ path: 'VM.pvm/l', type: 'SymbolicLink', linkpath: '' }],
      'is a symbolic link without a target',
    );
  });

  it('refuses a name with a control character before writing anything', async () => {
    await expectRefused(
      [{ path: 'VM.pvm/\u001b]0;title\u0007', body: 'x' }],
      'has a control character in its name',
    );
  });

  it('refuses a hard link', async () => {
    await expectRefused(
      [
        { path: 'VM.pvm/config.pvs', body: '<x/>' },
        { path: 'VM.pvm/hard', type: 'Link', linkpath: 'VM.pvm/config.pvs' },
      ],
      'VM.pvm/hard',
    );
  });

  it.each([['FIFO'], ['CharacterDevice'], ['BlockDevice']] as const)(
    'refuses a %s entry',
    async (type) => {
      await expectRefused([{ path: `VM.pvm/${type}`, type }], `VM.pvm/${type}`);
    },
  );

  it('refuses an entry type node-tar does not unpack (GNU sparse file)', async () => {
    await expectRefused(
      [{ path: 'VM.pvm/sparse.hds', type: 'SparseFile', body: 'x' }],
      'sparse.hds',
    );
  });

  it('refuses an archive with more entries than the limit', async () => {
    const root = await tempDir();
    const staging = join(root, 'staging');
    const entries = Array.from({ length: 5 }, (_, i) => ({ path: `f${i}`, body: 'x' }));
    const outcome = extractBytes(rawTar(entries), staging, {
      limits: { maxEntries: 4, maxUnpackedBytes: 1e9 },
    });
    await expect(outcome).rejects.toMatchObject({
      code: 'ARCHIVE_UNSAFE',
      message: expect.stringContaining('4 entries'),
    });
    expect(await exists(staging)).toBe(false);
  });

  it('refuses an archive whose files add up to more than the byte limit, before writing them', async () => {
    const root = await tempDir();
    const staging = join(root, 'staging');
    const archive = rawTar([
      { path: 'small', body: 'x'.repeat(600) },
      { path: 'big', body: 'y'.repeat(600) },
    ]);
    const outcome = extractBytes(archive, staging, {
      limits: { maxEntries: 10, maxUnpackedBytes: 1000 },
    });
    await expect(outcome).rejects.toMatchObject({
      code: 'ARCHIVE_UNSAFE',
      message: expect.stringContaining('1000'),
    });
    expect(await snapshot(root)).toEqual([]);
  });
});

describe('tar extractor allows what is safe', () => {
  const tempDir = useTempDirs();

  it('unpacks a symbolic link that points inside the folder', async () => {
    const staging = join(await tempDir(), 'staging');
    const archive = rawTar([
      { path: 'VM.pvm/', type: 'Directory' },
      { path: 'VM.pvm/harddisk.hdd/data.hds', body: 'disk' },
      { path: 'VM.pvm/current.hds', type: 'SymbolicLink', linkpath: 'harddisk.hdd/data.hds' },
      { path: 'VM.pvm/harddisk.hdd/self', type: 'SymbolicLink', linkpath: '../harddisk.hdd' },
    ]);
    await extractBytes(archive, staging);
    expect(await readlink(join(staging, 'VM.pvm/current.hds'))).toBe('harddisk.hdd/data.hds');
    expect(await readFile(join(staging, 'VM.pvm/current.hds'), 'utf8')).toBe('disk');
  });

  it("unpacks a link one folder down whose target is only '..', and names spelled with './' and '//'", async () => {
    const staging = join(await tempDir(), 'staging');
    const archive = rawTar([
      { path: './VM.pvm//config.pvs', body: '<x/>' },
      { path: 'VM.pvm/self', type: 'SymbolicLink', linkpath: '..' },
      { path: 'VM.pvm/old.txt', type: 'OldFile', body: 'old' },
      { path: 'VM.pvm/contiguous.hds', type: 'ContiguousFile', body: 'disk' },
    ]);
    await extractBytes(archive, staging);
    expect(await readFile(join(staging, 'VM.pvm/config.pvs'), 'utf8')).toBe('<x/>');
    expect(await readlink(join(staging, 'VM.pvm/self'))).toBe('..');
    expect(await readFile(join(staging, 'VM.pvm/old.txt'), 'utf8')).toBe('old');
    expect(await readFile(join(staging, 'VM.pvm/contiguous.hds'), 'utf8')).toBe('disk');
  });

  it('drops setuid, setgid and sticky bits and keeps files usable by their owner', async () => {
    const staging = join(await tempDir(), 'staging');
    const archive = rawTar([
      { path: 'tool', body: '#!/bin/sh', mode: 0o4755 },
      { path: 'locked', body: 'x', mode: 0o2000 },
      { path: 'dir/', type: 'Directory', mode: 0o1777 },
    ]);
    await extractBytes(archive, staging);
    expect((await lstat(join(staging, 'tool'))).mode & 0o7777).toBe(0o755);
    expect((await lstat(join(staging, 'locked'))).mode & 0o7000).toBe(0);
    expect((await lstat(join(staging, 'locked'))).mode & 0o600).toBe(0o600);
    expect((await lstat(join(staging, 'dir'))).mode & 0o7000).toBe(0);
  });

  it('creates the staging folder when it is missing', async () => {
    const staging = join(await tempDir(), 'a', 'b', 'staging');
    await extractBytes(rawTar([{ path: 'f', body: 'x' }]), staging);
    expect(await readFile(join(staging, 'f'), 'utf8')).toBe('x');
  });

  it('accepts a staging folder that already exists', async () => {
    const staging = join(await tempDir(), 'staging');
    await mkdir(staging);
    const summary = await extractBytes(rawTar([{ path: 'f', body: 'abc' }]), staging);
    expect(summary).toEqual({ entries: 1, unpackedBytes: 3 });
  });
});
