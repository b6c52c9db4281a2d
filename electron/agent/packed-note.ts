import { z } from 'zod';
import { vmSourceSchema } from '../../shared/agent-store-schema.ts';
import { archSchema } from '../../shared/protocol.ts';
import { CrashNote } from './crash-note.ts';

const packedNoteSchema = z.object({
  /** The verified download, until it is moved to `placed`. */
  from: z.string().min(1),
  /** Its size: a file at `placed` of another size is a copy across disks cut short. */
  bytes: z.number().int().nonnegative(),
  /** Where the packed file goes in the VM folder (resolved), claimed as an empty file. */
  placed: z.string().min(1),
  vmName: z.string().min(1),
  arch: archSchema,
  source: vmSourceSchema,
});

/** What a packed registration needs to be finished after a crash. */
export type PendingPacked = z.infer<typeof packedNoteSchema>;

/**
 * Names a packed VM on its way into the hypervisor: written before the file moves, cleared once
 * the registry holds the VM or nothing of it is left to finish.
 */
export const pendingPacked = new CrashNote('registering-packed.json', packedNoteSchema);
