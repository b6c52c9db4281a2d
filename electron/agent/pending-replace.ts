import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFile } from 'atomically';
import { z } from 'zod';
import { vmRecordSchema, type VmRecord } from '../../shared/agent-store-schema.ts';
import { SHA256_HEX } from '../../shared/web-values.ts';

const pendingReplaceSchema = z.object({
  previous: vmRecordSchema,
  sha256: z.string().regex(SHA256_HEX),
});

/** A Replace the user chose: the VM it removes once the version `sha256` is registered. */
export type PendingReplace = z.infer<typeof pendingReplaceSchema>;

function pendingReplacePath(home: string): string {
  return join(home, 'replacing.json');
}

/** Records the user's Replace before the download, so a run a crash cut short still finishes it. */
export async function notePendingReplace(home: string, previous: VmRecord, sha256: string) {
  const note: PendingReplace = { previous, sha256 };
  await writeFile(pendingReplacePath(home), `${JSON.stringify(note)}\n`, { mode: 0o600 });
}

/** The Replace a crash interrupted, if any; an unreadable note counts as none. */
export async function readPendingReplace(home: string): Promise<PendingReplace | undefined> {
  const text = await readFile(pendingReplacePath(home), 'utf8').catch(() => undefined);
  if (text === undefined) return undefined;
  try {
    const parsed = pendingReplaceSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/** Forgets the pending Replace (done, or answered otherwise). */
export async function clearPendingReplace(home: string): Promise<void> {
  await rm(pendingReplacePath(home), { force: true });
}
