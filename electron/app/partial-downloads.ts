import { readdir, rm, stat } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { PolicyCache } from '../../shared/agent-store-schema.ts';
import type { ResumableDownload } from '../../shared/ipc-contract.ts';
import { partialPaths } from '../agent/golden-image-install.ts';
import { heldDownloadBytes } from '../agent/held-download.ts';
import { homeLayout } from '../agent/home-layout.ts';
import { STAGING_PREFIX } from '../agent/leftovers.ts';
import { TarJournal } from '../archive/tar-journal.ts';
import { readResumeState } from '../agent/download/resume-state.ts';
import { normaliseSha256 } from '../agent/policy-validation.ts';

// What an interrupted download keeps: a partial file, or (a plain tar) the journal of its staging.
const HELD_FILE = /^([0-9a-f]{64})\.(part|journal)$/;
// Those, the resume state, and the temp files of an interrupted write.
const DOWNLOAD_FILE = /^[0-9a-f]{64}\.(part|journal|json)(\.tmp)?$/;

/** The partial download kept in `<home>/downloads` (the newest, when several), or null. */
export async function findResumable(
  home: string,
  policyCache: PolicyCache | undefined,
): Promise<ResumableDownload | null> {
  const dir = homeLayout(home).downloads;
  const names = await readdir(dir).catch(() => [] as string[]);
  let newest: { sha256: string; bytes: number; mtimeMs: number } | undefined;
  for (const name of names) {
    const sha256 = HELD_FILE.exec(name)?.[1];
    if (!sha256) continue;
    const info = await stat(join(dir, name)).catch(() => undefined);
    if (!info?.isFile()) continue;
    const bytes = await heldDownloadBytes(dir, sha256);
    if (bytes === 0) continue;
    if (!newest || info.mtimeMs > newest.mtimeMs) newest = { sha256, bytes, mtimeMs: info.mtimeMs };
  }
  if (!newest) return null;
  const { statePath } = partialPaths(dir, newest.sha256);
  const state = await readResumeState(statePath);
  const offered = offeredImage(policyCache, newest.sha256);
  return {
    sha256: newest.sha256,
    image: offered
      ? { goldenImageId: offered.id, name: offered.name, sizeBytes: offered.sizeBytes ?? null }
      : null,
    bytes: newest.bytes,
    total: state?.total ?? offered?.sizeBytes ?? null,
  };
}

/** Removes every partial download, staging folder kept for resuming, and resume state (Cancel); returns the names removed. */
export async function removePartials(home: string): Promise<string[]> {
  const dir = homeLayout(home).downloads;
  const names = (await readdir(dir).catch(() => [] as string[])).filter((n) =>
    DOWNLOAD_FILE.test(n),
  );
  for (const name of names.filter((n) => n.endsWith('.journal'))) {
    const staging = (await TarJournal.load(join(dir, name)))?.stagingDir;
    // Only ever a staging folder of ours, whatever the journal says.
    if (staging && basename(staging).startsWith(STAGING_PREFIX)) {
      await rm(staging, { recursive: true, force: true });
    }
  }
  await Promise.all(names.map((name) => rm(join(dir, name), { force: true })));
  return names;
}

function offeredImage(cache: PolicyCache | undefined, sha256: string) {
  const image = cache?.policy.goldenImage;
  if (!image) return undefined;
  try {
    // The admin may have pasted a whole `shasum` line: compare the digests only.
    return normaliseSha256(image.sha256) === sha256 ? image : undefined;
  } catch {
    return undefined;
  }
}
