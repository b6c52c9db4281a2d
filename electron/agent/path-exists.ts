import { lstat } from 'node:fs/promises';

/** Whether anything is at `path`; a link counts as there, wherever it points. */
export async function pathExists(path: string): Promise<boolean> {
  return (await lstat(path).catch(() => undefined)) !== undefined;
}
