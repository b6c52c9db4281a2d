import { readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';

/** Name prefix of the staging folders the agent makes beside the VM folder. */
export const STAGING_PREFIX = '.provisim-staging-';

const DOWNLOAD_FILE = /^([0-9a-f]{64})\.(part|json|journal)(\.tmp)?$/;

/** The staging folder name prefix of one agent; a VM folder may be shared by several agents. */
export function stagingPrefixOf(deviceId: string): string {
  return `${STAGING_PREFIX}${deviceId}-`;
}

/**
 * Removes staging folders this agent's killed runs left behind, except those a journal in
 * `downloadsDir` still describes (an unpacking to resume); call while holding the agent lock.
 */
export async function removeStaleStaging(
  vmDir: string,
  deviceId: string,
  downloadsDir: string,
): Promise<string[]> {
  const ours = stagingPrefixOf(deviceId);
  const journaled = new Set(
    (await namesIn(downloadsDir))
      .filter((name) => name.endsWith('.journal'))
      .map((name) => `${ours}${name.slice(0, -'.journal'.length)}`),
  );
  return removeMatching(vmDir, (name) => name.startsWith(ours) && !journaled.has(name));
}

/** Removes the downloads (partials, resume states, journals and their staging) of images other than `keepSha256`. */
export async function removeOtherPartials(
  downloadsDir: string,
  keepSha256: string,
  staging?: { vmDir: string; deviceId: string },
): Promise<string[]> {
  const others = (name: string) => {
    const sha256 = DOWNLOAD_FILE.exec(name)?.[1];
    return sha256 !== undefined && sha256 !== keepSha256;
  };
  const removed = await removeMatching(downloadsDir, others);
  if (staging) {
    const ours = stagingPrefixOf(staging.deviceId);
    await removeMatching(
      staging.vmDir,
      (name) => name.startsWith(ours) && !name.endsWith(keepSha256),
    );
  }
  return removed;
}

/** Removes one image's download files and its staging folder. */
export async function removeDownloadOf(
  downloadsDir: string,
  sha256: string,
  staging: { vmDir: string; deviceId: string },
): Promise<void> {
  await removeMatching(downloadsDir, (name) => DOWNLOAD_FILE.exec(name)?.[1] === sha256);
  const name = `${stagingPrefixOf(staging.deviceId)}${sha256}`;
  await removeMatching(staging.vmDir, (entry) => entry === name);
}

async function namesIn(dir: string): Promise<string[]> {
  return readdir(dir).catch(() => []);
}

async function removeMatching(dir: string, matches: (name: string) => boolean): Promise<string[]> {
  const found = (await namesIn(dir)).filter(matches);
  await Promise.all(found.map((name) => rm(join(dir, name), { recursive: true, force: true })));
  return found;
}
