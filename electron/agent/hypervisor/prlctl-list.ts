import { z } from 'zod';
import { ProvisimError } from '../../../shared/provisim-error.ts';
import type { HypervisorVm } from './hypervisor-backend.ts';

/** The arguments that list every VM with its details as JSON. */
export const LIST_ARGS = ['list', '-a', '-i', '--json'] as const;

// One VM of `prlctl list -a -i --json`, as Parallels Desktop prints it ("ID", "Name", "State",
// "Home path", "Home", then dozens of settings this reads none of). Unknown keys are dropped.
const listedVmSchema = z.object({
  ID: z.string().min(1),
  Name: z.string(),
  State: z.string(),
  Home: z.string().optional(),
  'Home path': z.string().optional(),
});
const listSchema = z.array(listedVmSchema);
// Paused or in transition, a VM still holds its files and memory: it counts as running.
const RUNNING_STATES = new Set([
  'running',
  'paused',
  'starting',
  'stopping',
  'resuming',
  'suspending',
]);

/** A path as prlctl's "Home" and Provisim's records compare: no trailing slash. */
export function comparablePath(path: string): string {
  return path.length > 1 ? path.replace(/\/+$/, '') : path;
}

/** The VMs in prlctl's `list -a -i --json` output; PARALLELS_COMMAND_FAILED when it is not that. */
export function parseVmList(stdout: string): HypervisorVm[] {
  // With no VM at all prlctl may print nothing rather than `[]`.
  if (stdout.trim() === '') return [];
  const parsed = listSchema.safeParse(parseJsonArray(stdout));
  if (!parsed.success) {
    throw new ProvisimError('PARALLELS_COMMAND_FAILED', {
      message:
        "prlctl listed the VMs in a shape Provisim does not know, so it cannot tell which VMs Parallels Desktop has. Update Provisim or Parallels Desktop; prlctl's output is in the agent log.",
      details: { issues: parsed.error.issues.slice(0, 5), stdout: stdout.slice(0, 4096) },
    });
  }
  return parsed.data.map((vm) => ({
    // Some prlctl outputs write ids in braces (as config.pvs does) or in capitals.
    uuid: vm.ID.replace(/^\{|\}$/g, '').toLowerCase(),
    name: vm.Name,
    path: comparablePath(vm.Home ?? vm['Home path'] ?? ''),
    state: RUNNING_STATES.has(vm.State.toLowerCase()) ? 'running' : 'stopped',
  }));
}

function parseJsonArray(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    // Older prlctl versions wrote a line of noise before or after the JSON (vagrant-parallels
    // GH-204): keep what lies between the first `[` and the last `]`.
    const start = text.indexOf('[');
    const end = text.lastIndexOf(']');
    if (start === -1 || end <= start) return undefined;
    try {
      return JSON.parse(text.slice(start, end + 1));
    } catch {
      return undefined;
    }
  }
}
