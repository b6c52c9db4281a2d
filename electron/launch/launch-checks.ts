import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Where the Electron binary is, or why there is none. */
export type ElectronBinary =
  | { readonly found: true; readonly path: string }
  | { readonly found: false; readonly reason: string };

/** The line `npm start` prints before falling back to browser mode. */
export const NO_ELECTRON_LINE =
  'Electron is not installed here (ELECTRON_SKIP_BINARY_DOWNLOAD); starting the Control Center in browser mode instead.';

/** Finds the Electron binary through the `electron` package (`require('electron')` in Node). */
export function findElectronBinary(
  loadElectron: () => unknown,
  exists: (path: string) => boolean,
): ElectronBinary {
  let value: unknown;
  try {
    // index.js returns the binary's path, or throws "Electron failed to install correctly" when
    // its postinstall download never happened (no path.txt beside it).
    value = loadElectron();
  } catch (error) {
    return { found: false, reason: error instanceof Error ? error.message : String(error) };
  }
  if (typeof value !== 'string' || value === '') {
    return { found: false, reason: 'The electron package did not name a binary.' };
  }
  // ELECTRON_OVERRIDE_DIST_PATH or a deleted dist/ give a path to nothing.
  if (!exists(value)) return { found: false, reason: `There is no Electron binary at ${value}.` };
  return { found: true, path: value };
}

/** Whether a build output is missing or older than the newest of its sources. */
export function isStale(outputMtimeMs: number | undefined, newestSourceMtimeMs: number): boolean {
  return outputMtimeMs === undefined || outputMtimeMs < newestSourceMtimeMs;
}

/** The modification time of a file, or undefined when it does not exist. */
export async function mtimeOf(path: string): Promise<number | undefined> {
  try {
    return (await stat(path)).mtimeMs;
  } catch {
    return undefined;
  }
}

/** The newest modification time among the files under some folders (0 when there are none). */
export async function newestMtime(dirs: readonly string[]): Promise<number> {
  let newest = 0;
  for (const dir of dirs) {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (!entry.isFile()) continue;
      const mtime = await mtimeOf(join(entry.parentPath, entry.name));
      if (mtime !== undefined && mtime > newest) newest = mtime;
    }
  }
  return newest;
}
