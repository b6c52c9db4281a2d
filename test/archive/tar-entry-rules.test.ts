import { describe, expect, it } from 'vitest';
import { tarEntryReason } from '../../electron/archive/tar-entry-rules.ts';

describe('tarEntryReason', () => {
  it.each(['File', 'OldFile', 'ContiguousFile', 'Directory'])(
    'unpacks a %s entry with a safe name',
    (type) => {
      expect(tarEntryReason({ type, path: 'VM.pvm/config.pvs' })).toBeUndefined();
    },
  );

  it('unpacks a symbolic link that stays inside', () => {
    expect(
      tarEntryReason({ type: 'SymbolicLink', path: 'VM.pvm/current.hds', linkpath: 'data.hds' }),
    ).toBeUndefined();
  });

  it.each([
    ['Link', 'is a hard link'],
    ['CharacterDevice', 'is a character device'],
    ['BlockDevice', 'is a block device'],
    ['FIFO', 'is a named pipe (FIFO)'],
  ])('refuses a %s entry and says what it is', (type, reason) => {
    expect(tarEntryReason({ type, path: 'VM.pvm/x', linkpath: 'VM.pvm/config.pvs' })).toBe(reason);
  });

  it.each(['SparseFile', 'GNUDumpDir', 'Unsupported', ''])(
    'refuses the entry type %j, which is not on the allow-list',
    (type) => {
      expect(tarEntryReason({ type, path: 'VM.pvm/x' })).toBe(`is an unsupported ${type} entry`);
    },
  );

  it('judges the type before the name', () => {
    expect(tarEntryReason({ type: 'FIFO', path: '../fifo' })).toBe('is a named pipe (FIFO)');
  });

  it('refuses an unsafe name for every allowed type', () => {
    for (const type of ['File', 'Directory', 'SymbolicLink']) {
      expect(tarEntryReason({ type, path: '../evil', linkpath: 'x' })).toBe(
        "climbs out of its folder with '..'",
      );
    }
    expect(tarEntryReason({ type: 'File', path: 'VM.pvm/a\0b' })).toBe(
      'has a NUL byte in its name',
    );
  });

  it('refuses a symbolic link without a target, also when the header has none', () => {
    const reason = 'is a symbolic link without a target';
    expect(tarEntryReason({ type: 'SymbolicLink', path: 'VM.pvm/l' })).toBe(reason);
    expect(tarEntryReason({ type: 'SymbolicLink', path: 'VM.pvm/l', linkpath: '' })).toBe(reason);
  });

  it("refuses a symbolic link at the top whose target is only '..'", () => {
    expect(tarEntryReason({ type: 'SymbolicLink', path: 'l', linkpath: '..' })).toBe(
      'is a symbolic link to "..", outside the archive folder',
    );
  });

  it('refuses a symbolic link with a NUL byte in its target', () => {
    expect(
      tarEntryReason({ type: 'SymbolicLink', path: 'VM.pvm/l', linkpath: 'data\0/../..' }),
    ).toBe('is a symbolic link with a NUL byte in its target');
  });

  it('ignores a link target on an entry that is not a link', () => {
    expect(tarEntryReason({ type: 'File', path: 'VM.pvm/f', linkpath: '/etc/passwd' })).toBe(
      undefined,
    );
    expect(tarEntryReason({ type: 'Directory', path: 'VM.pvm/d/' })).toBeUndefined();
  });
});
