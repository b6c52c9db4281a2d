import { mkdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { writeFileSync } from 'atomically';
import { corruptFile, storeError } from './conf-file.ts';

/** The outbox's file: its whole content read and replaced at once, never half-written. */
export class OutboxFile {
  readonly path: string;
  readonly #fsync: boolean;

  /** `fsync: false` leaves flushing to the system: the file survives the process, not a power cut. */
  constructor(home: string, options: { readonly fsync?: boolean } = {}) {
    this.path = join(home, 'outbox.json');
    this.#fsync = options.fsync ?? true;
  }

  /** The file's content; an empty object when there is no file yet. */
  read(): unknown {
    let text: string;
    try {
      text = readFileSync(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw storeError(this.path, error, false);
    }
    try {
      return JSON.parse(text) as unknown;
    } catch (error) {
      throw corruptFile(this.path, (error as Error).message, error);
    }
  }

  /** Replaces the content: a temporary file renamed over the old one. */
  write(content: unknown): void {
    try {
      // The home may have been removed under a long-running agent, as conf allows for too.
      mkdirSync(dirname(this.path), { recursive: true });
      // Owner-only: events name the VMs and images of this Mac.
      writeFileSync(this.path, `${JSON.stringify(content, null, '\t')}\n`, {
        mode: 0o600,
        fsync: this.#fsync,
      });
    } catch (error) {
      throw storeError(this.path, error, true);
    }
  }
}
