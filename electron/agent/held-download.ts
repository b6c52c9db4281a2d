import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { planResume } from '../archive/staged-archive.ts';
import { TarJournal } from '../archive/tar-journal.ts';

/** Bytes of an image that an earlier run holds: its partial file, or the staged files its journal describes. */
export async function heldDownloadBytes(downloadsDir: string, sha256: string): Promise<number> {
  const partial = await stat(join(downloadsDir, `${sha256}.part`)).catch(() => undefined);
  if (partial && partial.size > 0) return partial.size;
  const journal = await TarJournal.load(join(downloadsDir, `${sha256}.journal`));
  const plan = journal && (await planResume(journal));
  return plan?.held ?? 0;
}
