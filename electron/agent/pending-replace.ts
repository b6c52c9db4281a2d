import { z } from 'zod';
import { vmRecordSchema, type VmRecord } from '../../shared/agent-store-schema.ts';
import { SHA256_HEX } from '../../shared/web-values.ts';
import { CrashNote } from './crash-note.ts';

const pendingReplaceSchema = z.object({
  previous: vmRecordSchema,
  sha256: z.string().regex(SHA256_HEX),
});
const note = new CrashNote('replacing.json', pendingReplaceSchema);

/** A Replace the user chose: the VM it removes once the version `sha256` is registered. */
export type PendingReplace = z.infer<typeof pendingReplaceSchema>;

/** Records the user's Replace before the download, so a run a crash cut short still finishes it. */
export async function notePendingReplace(home: string, previous: VmRecord, sha256: string) {
  await note.write(home, { previous, sha256 });
}

/** The Replace a crash interrupted, if any; an unreadable note counts as none. */
export function readPendingReplace(home: string): Promise<PendingReplace | undefined> {
  return note.read(home);
}

/** Forgets the pending Replace (done, or answered otherwise). */
export function clearPendingReplace(home: string): Promise<void> {
  return note.clear(home);
}
