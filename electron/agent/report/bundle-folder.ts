import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Redactor } from './report-redaction.ts';

/** One file of the bundle and what it holds. */
export interface BundlePart {
  /** Path inside the report's folder, with forward slashes. */
  readonly path: string;
  readonly bytes: number;
  readonly about: string;
}

/**
 * The report's folder while it is being filled: every text goes through the redactor on its way
 * in, owner-only, and is listed for the manifest; a part that cannot be read is listed as a
 * problem instead of ending the report.
 */
export class BundleFolder {
  readonly root: string;
  readonly parts: BundlePart[] = [];
  readonly problems: string[] = [];
  readonly #redactor: Redactor;

  constructor(root: string, redactor: Redactor) {
    this.root = root;
    this.#redactor = redactor;
  }

  /** Writes a text file, its secrets removed. */
  async text(path: string, text: string, about: string): Promise<void> {
    const file = join(this.root, ...path.split('/'));
    const content = Buffer.from(this.#redactor.text(text), 'utf8');
    await mkdir(dirname(file), { recursive: true, mode: 0o700 });
    await writeFile(file, content, { mode: 0o600 });
    this.parts.push({ path, bytes: content.length, about });
  }

  /** Writes a value as indented JSON, its secrets removed. */
  async json(path: string, value: unknown, about: string): Promise<void> {
    await this.text(path, `${JSON.stringify(value, null, 2)}\n`, about);
  }

  /** Runs the work of one part; a failure is noted (with its secrets removed) unless `signal` stopped it. */
  async attempt(what: string, work: () => Promise<void>, signal?: AbortSignal): Promise<void> {
    try {
      await work();
    } catch (error) {
      if (signal?.aborted) throw error;
      const code = (error as NodeJS.ErrnoException).code;
      const reason = error instanceof Error ? error.message : String(error);
      this.problems.push(this.#redactor.text(`${what}: ${code ? `${code}: ` : ''}${reason}`));
    }
  }
}
