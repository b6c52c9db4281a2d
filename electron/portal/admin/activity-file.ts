import { join } from 'node:path';
import { z } from 'zod';
import { agentEventSchema } from '../../../shared/protocol.ts';
import type { PortalStateSnapshot } from '../portal-state.ts';
import { readJsonFile, writeJsonFile } from './data-files.ts';

/** Name of the devices and events file inside the data folder. */
export const ACTIVITY_FILE = 'portal-state.json';

/** How many events a portal with a data folder keeps (and saves). */
export const SAVED_EVENTS_CAP = 5_000;

const activitySchema = z.object({
  format: z.literal(1),
  devices: z.array(z.looseObject({ id: z.string() })),
  events: z.array(z.looseObject({ id: z.string(), deviceId: z.string(), type: z.string() })),
});

/** Path of the devices and events file of a data folder. */
export function activityPath(dataDir: string): string {
  return join(dataDir, ACTIVITY_FILE);
}

/** Loads the saved devices and events; undefined when there are none yet. */
export async function readActivity(file: string): Promise<PortalStateSnapshot | undefined> {
  const saved = await readJsonFile(file, activitySchema);
  if (!saved) return undefined;
  // Written by this portal from its own records: the check above is about damage, not trust.
  // Events of a shape this version does not read (an older portal's) are left out.
  const events = saved.events.filter((event) => agentEventSchema.safeParse(event).success);
  return { ...saved, events } as unknown as PortalStateSnapshot;
}

/**
 * Saves devices and events behind the requests: one write at a time, each with the newest state,
 * so a burst of progress events costs a couple of writes rather than one each.
 */
export class ActivityWriter {
  readonly #file: string;
  readonly #snapshot: () => PortalStateSnapshot;
  readonly #onError: (error: unknown) => void;
  #running: Promise<void> | undefined;
  #again = false;

  constructor(
    file: string,
    snapshot: () => PortalStateSnapshot,
    onError: (error: unknown) => void,
  ) {
    this.#file = file;
    this.#snapshot = snapshot;
    this.#onError = onError;
  }

  /** Asks for a write of the current state. */
  schedule(): void {
    if (this.#running) {
      this.#again = true;
      return;
    }
    this.#running = this.#loop();
  }

  /** Resolves when the state asked for so far is written. */
  async flush(): Promise<void> {
    await this.#running;
  }

  async #loop(): Promise<void> {
    do {
      this.#again = false;
      try {
        // No fsync: events come in bursts, and a crash may lose the last ones but never the file.
        await writeJsonFile(this.#file, { format: 1, ...this.#snapshot() }, { fsync: false });
      } catch (error) {
        this.#onError(error);
      }
    } while (this.#again);
    this.#running = undefined;
  }
}
