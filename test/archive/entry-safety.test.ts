import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  errnoCode,
  safeMode,
  unsafeLinkReason,
  unsafeNameReason,
} from '../../electron/archive/entry-safety.ts';
import { useTempDirs } from '../helpers/temp-dir.ts';

const OUTSIDE = 'outside the archive folder';

describe('unsafeNameReason', () => {
  it.each([
    'VM.pvm/config.pvs',
    'VM.pvm/',
    './VM.pvm/config.pvs',
    'VM.pvm//harddisk.hdd/data.hds',
    'VM.pvm/..hidden',
    'VM.pvm/a..b/c',
    'VM.pvm/Snapshots v2 (old)~/x',
    'VM.pvm/notes:v2.txt',
    'VM.pvm/été.txt',
  ])('lets %j stay inside the folder', (name) => {
    expect(unsafeNameReason(name)).toBeUndefined();
  });

  it('refuses a NUL byte, which would cut the name short on disk', () => {
    expect(unsafeNameReason('VM.pvm/config.pvs\0.txt')).toBe('has a NUL byte in its name');
    expect(unsafeNameReason('\0')).toBe('has a NUL byte in its name');
  });

  it.each([
    ['the first control character', '\u0001'],
    ['a newline', '\n'],
    ['an escape', '\u001b[2J'],
    ['the last C0 control character', '\u001f'],
    ['DEL', '\u007f'],
  ])('refuses %s in a name', (_what, control) => {
    expect(unsafeNameReason(`VM.pvm/a${control}b`)).toBe('has a control character in its name');
  });

  it('refuses a drive-letter path as a Windows path, with or without a slash after the colon', () => {
    for (const name of ['C:/Windows/evil.dll', 'c:\\evil.dll', 'Z:evil']) {
      expect(unsafeNameReason(name)).toBe('is an absolute Windows path');
    }
  });

  it('does not take a digit or a later colon for a drive letter', () => {
    expect(unsafeNameReason('1:evil')).toBeUndefined();
    expect(unsafeNameReason('VM.pvm/C:evil')).toBeUndefined();
  });

  it('refuses an absolute path written with either slash', () => {
    expect(unsafeNameReason('/etc/passwd')).toBe('is an absolute path');
    expect(unsafeNameReason('\\Windows\\evil.dll')).toBe('is an absolute path');
  });

  it.each(['..', '../evil', 'VM.pvm/../../evil', 'VM.pvm\\..\\..\\evil', 'VM.pvm/..'])(
    "refuses %j, which climbs with '..'",
    (name) => {
      expect(unsafeNameReason(name)).toBe("climbs out of its folder with '..'");
    },
  );
});

describe('unsafeLinkReason', () => {
  it('refuses a link without a target', () => {
    expect(unsafeLinkReason('VM.pvm/l', '')).toBe('is a symbolic link without a target');
  });

  it('refuses a NUL byte in the target', () => {
    expect(unsafeLinkReason('VM.pvm/l', 'config.pvs\0../../x')).toBe(
      'is a symbolic link with a NUL byte in its target',
    );
  });

  it('refuses an absolute target, POSIX or Windows, and names it', () => {
    expect(unsafeLinkReason('VM.pvm/etc', '/etc')).toBe(
      'is a symbolic link to the absolute path "/etc"',
    );
    expect(unsafeLinkReason('VM.pvm/l', '\\Windows')).toBe(
      'is a symbolic link to the absolute path "\\\\Windows"',
    );
    expect(unsafeLinkReason('VM.pvm/l', 'C:evil')).toBe(
      'is a symbolic link to the absolute path "C:evil"',
    );
  });

  it('accepts a target with a colon that is not a drive letter', () => {
    expect(unsafeLinkReason('VM.pvm/l', 'notes:v2.txt')).toBeUndefined();
    expect(unsafeLinkReason('VM.pvm/l', '1:x')).toBeUndefined();
  });

  it("refuses a link at the top whose target is only '..'", () => {
    expect(unsafeLinkReason('l', '..')).toBe(`is a symbolic link to "..", ${OUTSIDE}`);
  });

  it("accepts '..' from one folder down and refuses '../..' from there", () => {
    expect(unsafeLinkReason('VM.pvm/l', '..')).toBeUndefined();
    expect(unsafeLinkReason('VM.pvm/l', '../..')).toBe(`is a symbolic link to "../..", ${OUTSIDE}`);
  });

  it('accepts climbing exactly to the top and then going down', () => {
    expect(unsafeLinkReason('VM.pvm/harddisk.hdd/l', '../../VM.pvm/config.pvs')).toBeUndefined();
    expect(unsafeLinkReason('VM.pvm/harddisk.hdd/l', '../../../VM.pvm')).toBe(
      `is a symbolic link to "../../../VM.pvm", ${OUTSIDE}`,
    );
  });

  it('refuses a target that climbs again after going down, wherever it starts', () => {
    expect(unsafeLinkReason('VM.pvm/deep/l', 'a/../../b')).toBe(
      'is a symbolic link to "a/../../b", which climbs after going down',
    );
    expect(unsafeLinkReason('VM.pvm/deep/l', '../a/..')).toBe(
      'is a symbolic link to "../a/..", which climbs after going down',
    );
  });

  it("counts a name's depth without './' and empty segments", () => {
    // "./l" and "VM.pvm//l" sit at the top and one folder down, like "l" and "VM.pvm/l".
    expect(unsafeLinkReason('./l', '..')).toBe(`is a symbolic link to "..", ${OUTSIDE}`);
    expect(unsafeLinkReason('VM.pvm//l', '../..')).toBe(
      `is a symbolic link to "../..", ${OUTSIDE}`,
    );
    expect(unsafeLinkReason('VM.pvm/./l', '..')).toBeUndefined();
  });

  it("counts a target's climb without './' and empty segments", () => {
    expect(unsafeLinkReason('VM.pvm/l', './..')).toBeUndefined();
    expect(unsafeLinkReason('VM.pvm/l', '..//..')).toBe(
      `is a symbolic link to "..//..", ${OUTSIDE}`,
    );
    expect(unsafeLinkReason('VM.pvm/l', 'a//b/./c')).toBeUndefined();
  });

  it('counts backslashes as separators in the target', () => {
    expect(unsafeLinkReason('VM.pvm/l', '..\\..')).toBe(
      `is a symbolic link to "..\\\\..", ${OUTSIDE}`,
    );
  });
});

describe('safeMode', () => {
  it('leaves a missing or zero mode to the default', () => {
    expect(safeMode(undefined, false)).toBeUndefined();
    expect(safeMode(undefined, true)).toBeUndefined();
    expect(safeMode(0, false)).toBeUndefined();
    expect(safeMode(0, true)).toBeUndefined();
  });

  it('drops setuid, setgid and sticky bits', () => {
    expect(safeMode(0o4755, false)).toBe(0o755);
    expect(safeMode(0o2644, false)).toBe(0o644);
    expect(safeMode(0o1777, true)).toBe(0o777);
  });

  it('keeps a file readable and writable and a folder usable by its owner', () => {
    expect(safeMode(0o044, false)).toBe(0o644);
    expect(safeMode(0o1000, false)).toBe(0o600);
    expect(safeMode(0o055, true)).toBe(0o755);
  });
});

describe('errnoCode', () => {
  const tempDir = useTempDirs();

  it('reads the code of a real file-system error', async () => {
    const error = await readFile(join(await tempDir(), 'missing')).catch(
      (caught: unknown) => caught,
    );
    expect(errnoCode(error)).toBe('ENOENT');
  });

  it.each([
    ['an error without a code', new Error('plain')],
    ['a numeric code', Object.assign(new Error('odd'), { code: 17 })],
    ['null', null],
    ['undefined', undefined],
    ['a string', 'ENOENT'],
    ['a number', 17],
  ])('has no code for %s', (_what, value) => {
    expect(errnoCode(value)).toBeUndefined();
  });
});
