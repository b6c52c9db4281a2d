import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** Name prefix of the staging folders the agent makes beside the VM folder. */
export const STAGING_PREFIX = '.provisim-staging-';

/** The staging folder name prefix of one agent; a VM folder may be shared by several agents. */
export function stagingPrefixOf(deviceId: string): string {
  return `${STAGING_PREFIX}${deviceId}-`;
}

/** Removes staging folders this agent's killed runs left behind; call while holding the agent lock. */
export async function removeStaleStaging(vmDir: string, deviceId: string): Promise<string[]> {
  const ours = stagingPrefixOf(deviceId);
  return removeMatching(vmDir, (name) => name.startsWith(ours));
}

/** Removes partial downloads (and their resume state) of images other than `keepSha256`. */
export async function removeOtherPartials(
  downloadsDir: string,
  keepSha256: string,
): Promise<string[]> {
  return removeMatching(
    downloadsDir,
    (name) => /^[0-9a-f]{64}\.(part|json)$/.test(name) && !name.startsWith(keepSha256),
  );
}

async function removeMatching(dir: string, matches: (name: string) => boolean): Promise<string[]> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return [];
  }
  const found = names.filter(matches);
  await Promise.all(found.map((name) => rm(join(dir, name), { recursive: true, force: true })));
  return found;
}
