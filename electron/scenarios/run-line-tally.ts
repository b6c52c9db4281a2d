/** One parsed NDJSON line of `provisim run --json`. */
export type RunLine = Record<string, unknown> & { readonly type?: unknown };

// A new response counts its bytes from zero, even when its first chunk outsizes the old one.
const ATTEMPT_EVENTS = new Set([
  'download-started',
  'download-resumed',
  'download-restarted',
  'download-retrying',
]);

/** Counts what a `provisim run --json --progress-lines` process printed, line by line. */
export class RunLineTally {
  /** Image bytes received over every attempt of the process. */
  bytesReceived = 0;
  /** Bytes of the image the agent holds, as its last progress line said. */
  transferred = 0;
  #attemptBytes = 0;

  /** Parses one line and counts it; undefined for a line that is not JSON. */
  take(text: string): RunLine | undefined {
    let line: RunLine;
    try {
      line = JSON.parse(text) as RunLine;
    } catch {
      return undefined;
    }
    if (line.type === 'progress') {
      const attempt = typeof line.attemptBytes === 'number' ? line.attemptBytes : 0;
      // A smaller count means a new attempt started; the bytes of the old one stay counted.
      this.bytesReceived += attempt >= this.#attemptBytes ? attempt - this.#attemptBytes : attempt;
      this.#attemptBytes = attempt;
      if (typeof line.transferred === 'number') this.transferred = line.transferred;
    } else if (typeof line.type === 'string' && ATTEMPT_EVENTS.has(line.type)) {
      this.#attemptBytes = 0;
    }
    return line;
  }
}
