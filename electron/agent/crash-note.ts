import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFile } from 'atomically';
import type { z } from 'zod';

/**
 * A small JSON file in an agent home, written before a step a kill -9 could cut in half, so that
 * the next run can finish or undo that step; removed once the step is done.
 */
export class CrashNote<S extends z.ZodType> {
  readonly #fileName: string;
  readonly #schema: S;

  constructor(fileName: string, schema: S) {
    this.#fileName = fileName;
    this.#schema = schema;
  }

  /** Where the note is in `home`. */
  path(home: string): string {
    return join(home, this.#fileName);
  }

  /** Writes the note whole or not at all, readable by its owner only. */
  async write(home: string, value: z.output<S>): Promise<void> {
    await writeFile(this.path(home), `${JSON.stringify(value)}\n`, { mode: 0o600 });
  }

  /** The note; undefined when there is none, or none that can be read (damaged, or changed shape). */
  async read(home: string): Promise<z.output<S> | undefined> {
    const text = await readFile(this.path(home), 'utf8').catch(() => undefined);
    if (text === undefined) return undefined;
    try {
      const parsed = this.#schema.safeParse(JSON.parse(text));
      return parsed.success ? parsed.data : undefined;
    } catch {
      return undefined;
    }
  }

  /** Removes the note; nothing happens when there is none. */
  async clear(home: string): Promise<void> {
    await rm(this.path(home), { force: true });
  }
}
