import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { DEFAULT_ARCHIVE_LIMITS } from '../../electron/archive/archive-limits.ts';
import { EntryChecker } from '../../electron/archive/entry-checker.ts';
import { createTarExtractor } from '../../electron/archive/tar-extractor.ts';
import { locateVmBundle, validateVmBundle } from '../../electron/archive/vm-bundle.ts';
import { renderVmConfig } from '../../electron/archive/vm-config.ts';
import type { Arch } from '../../shared/protocol.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';
import { rawTar, type RawEntry } from './helpers/raw-tar.ts';

const UUID = '6f1c2a3b-4d5e-4f60-8a7b-9c0d1e2f3a4b';
const config = (arch: Arch = 'arm64') =>
  renderVmConfig({ uuid: UUID, name: 'Checked', arch, cpus: 2, memoryMb: 2048 });
const vm = (extra: RawEntry[] = [], top = 'Checked.pvm/'): RawEntry[] => [
  ...(top === '' ? [] : [{ path: top, type: 'Directory' } as const]),
  { path: `${top}config.pvs`, body: config() },
  { path: `${top}disk.hdd/`, type: 'Directory' },
  { path: `${top}disk.hdd/data.hds`, body: Buffer.alloc(70_000, 7) },
  ...extra,
];
const limits = { ...DEFAULT_ARCHIVE_LIMITS, maxEntries: 12 };

// Every archive goes through both paths: what unpacking refuses, checking refuses the same way.
const ARCHIVES: Record<string, RawEntry[]> = {
  'a whole VM': vm([
    { path: 'Checked.pvm/current.hds', type: 'SymbolicLink', linkpath: 'disk.hdd/data.hds' },
  ]),
  'a VM at the top, without a .pvm folder': vm([], ''),
  'an entry climbing out': vm([{ path: '../evil', body: 'x' }]),
  'an absolute link': vm([{ path: 'Checked.pvm/etc', type: 'SymbolicLink', linkpath: '/etc' }]),
  'a write through a link': vm([
    { path: 'Checked.pvm/inner', type: 'SymbolicLink', linkpath: 'disk.hdd' },
    { path: 'Checked.pvm/inner/x', body: 'x' },
  ]),
  'a file named twice': vm([{ path: 'Checked.pvm/config.pvs', body: config() }]),
  'a file inside a file': vm([{ path: 'Checked.pvm/config.pvs/x', body: 'x' }]),
  'a hard link': vm([{ path: 'Checked.pvm/h', type: 'Link', linkpath: 'Checked.pvm/config.pvs' }]),
  'a device': vm([{ path: 'Checked.pvm/dev', type: 'CharacterDevice' }]),
  'too many entries': vm(
    Array.from({ length: 9 }, (_, i) => ({ path: `Checked.pvm/f${i}`, body: 'x' })),
  ),
  'no VM at all': [{ path: 'notes.txt', body: 'hello' }],
  'two VMs': [...vm(), ...vm([], 'Other.pvm/')],
  'no disk': vm().filter((entry) => !entry.path.includes('disk.hdd')),
  'no config.pvs': vm().filter((entry) => !entry.path.endsWith('config.pvs')),
  'a malformed config.pvs': vm().map((e) =>
    e.path.endsWith('config.pvs') ? { ...e, body: '<oops' } : e,
  ),
  'an Intel VM': vm().map((e) =>
    e.path.endsWith('config.pvs') ? { ...e, body: config('x86_64') } : e,
  ),
  'a config.pvs that is a folder': [
    { path: 'X.pvm/', type: 'Directory' },
    { path: 'X.pvm/config.pvs/', type: 'Directory' },
    { path: 'X.pvm/disk.hdd/', type: 'Directory' },
  ],
  'a link out of the VM, one level below the archive': vm([
    { path: 'Checked.pvm/up', type: 'SymbolicLink', linkpath: '..' },
  ]),
};

type Outcome =
  { ok: true; uuid: string; entries: number } | { ok: false; code: string; message: string };

async function settle(run: () => Promise<{ uuid: string; entries: number }>): Promise<Outcome> {
  try {
    return { ok: true, ...(await run()) };
  } catch (error) {
    const { code, message } = error as { code: string; message: string };
    return { ok: false, code, message };
  }
}

async function feed(archive: Buffer, extractor: ReturnType<typeof createTarExtractor>) {
  // In odd-sized pieces, as a network delivers them.
  for (let at = 0; at < archive.length; at += 7_777)
    await extractor.write(archive.subarray(at, at + 7_777));
  return extractor.end();
}

describe('EntryChecker', () => {
  const tempDir = useTempDirs();

  it.each(
    Object.entries(ARCHIVES).flatMap(
      ([name, entries]) =>
        [
          [name, 'tar', entries],
          [name, 'tar.gz', entries],
        ] as const,
    ),
  )('checks %s (%s) as unpacking it would, and writes nothing', async (_, format, entries) => {
    const tar = rawTar(entries);
    const archive = format === 'tar' ? tar : gzipSync(tar);
    const unpacked = await settle(async () => {
      const stagingDir = join(await tempDir(), 'staging');
      const extractor = createTarExtractor({ stagingDir, limits, format });
      const summary = await feed(archive, extractor).catch(async (error: unknown) => {
        await extractor.abort();
        throw error;
      });
      const vmConfig = await validateVmBundle(await locateVmBundle(stagingDir), 'arm64');
      return { uuid: vmConfig.uuid, entries: summary.entries };
    });
    const root = await tempDir();
    const checked = await settle(async () => {
      const checker = new EntryChecker(limits);
      const extractor = createTarExtractor({
        stagingDir: join(root, 'staging'),
        limits,
        format,
        checker,
      });
      expect(extractor.keepsBytes).toBe(true);
      const summary = await feed(archive, extractor).catch(async (error: unknown) => {
        await extractor.abort();
        throw error;
      });
      return { uuid: checker.vm('arm64').uuid, entries: summary.entries };
    });
    expect(checked).toEqual(unpacked);
    expect(await readdir(root)).toEqual([]);
  });

  it('lets the two good archives through, so the table tests both outcomes', async () => {
    const checker = new EntryChecker(limits);
    const extractor = createTarExtractor({
      stagingDir: join(await tempDir(), 's'),
      limits,
      checker,
    });
    await feed(rawTar(ARCHIVES['a whole VM']!), extractor);
    expect(checker.vm('arm64')).toMatchObject({ uuid: UUID, name: 'Checked', arch: 'arm64' });
  });

  it('refuses a truncated archive as unpacking does', async () => {
    const checker = new EntryChecker(limits);
    const extractor = createTarExtractor({
      stagingDir: join(await tempDir(), 's'),
      limits,
      checker,
    });
    const tar = rawTar(ARCHIVES['a whole VM']!);
    await expect(feed(tar.subarray(0, 2048), extractor)).rejects.toMatchObject({
      code: 'ARCHIVE_INVALID',
      message: expect.stringContaining('truncated'),
    });
  });
});
