import { readdir } from 'node:fs/promises';

/** Every path under a folder (recursively, relative), sorted: to prove nothing else was written. */
export async function snapshot(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true });
  return entries.map(String).sort();
}
