import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** Name prefix of the staging folders the agent makes beside the VM folder. */
export const STAGING_PREFIX = '.provisim-staging-';

/** Removes staging folders a killed earlier run left in the VM folder; call while holding the agent lock. */
export async function removeStaleStaging(vmDir: string): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(vmDir);
  } catch {
    return [];
  }
  const stale = names.filter((name) => name.startsWith(STAGING_PREFIX));
  await Promise.all(stale.map((name) => rm(join(vmDir, name), { recursive: true, force: true })));
  return stale;
}
