// Lexical checks shared by the tar and zip extractors; both also refuse to write through a
// symbolic link on disk, which is what keeps a chain of "inside" links from escaping.

function segments(name: string): string[] {
  return name.split(/[/\\]/).filter((part) => part !== '' && part !== '.');
}

function isAbsolute(name: string): boolean {
  return /^[/\\]/.test(name) || /^[a-zA-Z]:/.test(name);
}

/** Why an entry name may not be unpacked, or undefined when it stays inside the folder. */
export function unsafeNameReason(name: string): string | undefined {
  if (name.includes('\0')) return 'has a NUL byte in its name';
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
  if (/[\u0001-\u001f\u007f]/.test(name)) return 'has a control character in its name';
  if (/^[a-zA-Z]:/.test(name)) return 'is an absolute Windows path';
  if (isAbsolute(name)) return 'is an absolute path';
  if (name.split(/[/\\]/).includes('..')) return "climbs out of its folder with '..'";
  return undefined;
}

/** Why a symbolic link at `name` may not point to `target`, or undefined when it stays inside. */
export function unsafeLinkReason(name: string, target: string): string | undefined {
  if (target === '') return 'is a symbolic link without a target';
  if (target.includes('\0')) return 'is a symbolic link with a NUL byte in its target';
  if (isAbsolute(target))
    return `is a symbolic link to the absolute path ${JSON.stringify(target)}`;
  const parts = segments(target);
  const firstDown = parts.findIndex((part) => part !== '..');
  const ups = firstDown === -1 ? parts.length : firstDown;
  if (firstDown !== -1 && parts.slice(firstDown).includes('..')) {
    // "a/../.." may climb from wherever the link "a" leads, so it cannot be judged by its text.
    return `is a symbolic link to ${JSON.stringify(target)}, which climbs after going down`;
  }
  const depth = segments(name).length - 1;
  if (ups > depth) {
    return `is a symbolic link to ${JSON.stringify(target)}, outside the archive folder`;
  }
  return undefined;
}

/** Permission bits to create an entry with: no setuid/setgid/sticky, always owner-usable. */
export function safeMode(mode: number | undefined, isDirectory: boolean): number | undefined {
  if (mode === undefined || mode === 0) return undefined;
  return (mode & 0o777) | (isDirectory ? 0o700 : 0o600);
}

/** A file-system error code from an unknown error, if any. */
export function errnoCode(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}
