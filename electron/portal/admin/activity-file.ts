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

/** Least time between two saves of the devices and events file, unless told otherwise. */
export const ACTIVITY_SAVE_INTERVAL_MS = 1_000;

/** Where and how the devices and events are saved. */
export interface ActivityWriterOptions {
  readonly file: string;
  readonly snapshot: () => PortalStateSnapshot;
  readonly onError: (error: unknown) => void;
  /** Least time between the starts of two writes; 1 s by default. */
  readonly intervalMs?: number;
  /** Writes the file; an atomic JSON write without fsync by default (tests count the calls). */
  readonly write?: (file: string, value: unknown) => Promise<void>;
}

/**
 * Saves devices and events behind the requests: at most one write per interval, each with the
 * newest state, so a fleet posting hundreds of events a second costs about one write a second.
 */
export class ActivityWriter {
  readonly #options: ActivityWriterOptions;
  readonly #intervalMs: number;
  readonly #write: (file: string, value: unknown) => Promise<void>;
  #dirty = false;
  #lastStart = Number.NEGATIVE_INFINITY;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running: Promise<void> | undefined;
  #writes = 0;

  constructor(options: ActivityWriterOptions) {
    const { intervalMs = ACTIVITY_SAVE_INTERVAL_MS } = options;
    if (!Number.isFinite(intervalMs) || intervalMs < 0) {
      throw new TypeError('intervalMs must be a finite number of milliseconds, 0 or more');
    }
    this.#options = options;
    this.#intervalMs = intervalMs;
    // No fsync: events come in bursts, and a crash may lose the last ones but never the file.
    this.#write = options.write ?? ((file, value) => writeJsonFile(file, value, { fsync: false }));
  }

  /** How many writes were started so far. */
  get writes(): number {
    return this.#writes;
  }

  /** Asks for a write of the current state: now, or once the interval since the last one ends. */
  schedule(): void {
    this.#dirty = true;
    if (this.#timer === undefined && this.#running === undefined) this.#arm();
  }

  /** Writes what is still unsaved without waiting for the interval, and resolves once it is. */
  async flush(): Promise<void> {
    while (this.#running !== undefined || this.#timer !== undefined) {
      if (this.#timer !== undefined) {
        clearTimeout(this.#timer);
        this.#timer = undefined;
        this.#running = this.#run();
      }
      await this.#running;
    }
  }

  #arm(): void {
    const wait = Math.max(0, this.#lastStart + this.#intervalMs - Date.now());
    this.#timer = setTimeout(() => {
      this.#timer = undefined;
      this.#running = this.#run();
    }, wait);
  }

  async #run(): Promise<void> {
    this.#dirty = false;
    this.#lastStart = Date.now();
    this.#writes += 1;
    const { file, snapshot, onError } = this.#options;
    try {
      await this.#write(file, { format: 1, ...snapshot() });
    } catch (error) {
      onError(error);
    }
    this.#running = undefined;
    // Changes that came in during the write go out in the next one.
    if (this.#dirty) this.#arm();
  }
}
