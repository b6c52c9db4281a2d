import type { JobProgress } from '../../shared/ipc-contract.ts';
import type { DownloadProgress } from '../agent/download/image-download.ts';

/** Options of a ProgressMeter. */
export interface ProgressMeterOptions {
  readonly emit: (progress: JobProgress) => void;
  /** Shortest time between two updates (default 250 ms). */
  readonly intervalMs?: number;
  /** Span the rate is measured over (default 3 s). */
  readonly windowMs?: number;
  readonly now?: () => number;
}

/** Turns per-chunk download progress into throttled updates with a rate and an ETA. */
export class ProgressMeter {
  readonly #emit: (progress: JobProgress) => void;
  readonly #intervalMs: number;
  readonly #windowMs: number;
  readonly #now: () => number;
  #samples: { at: number; bytes: number }[] = [];
  #latest: DownloadProgress | undefined;
  #lastEmitAt = Number.NEGATIVE_INFINITY;
  #lastSent: string | undefined;
  #trailing: ReturnType<typeof setTimeout> | undefined;

  constructor(options: ProgressMeterOptions) {
    this.#emit = options.emit;
    this.#intervalMs = options.intervalMs ?? 250;
    this.#windowMs = options.windowMs ?? 3_000;
    this.#now = options.now ?? Date.now;
  }

  /** Takes one report; sends it now, or once the interval has passed if nothing newer came. */
  update(progress: DownloadProgress): void {
    const at = this.#now();
    this.#latest = progress;
    this.#samples.push({ at, bytes: progress.transferred });
    while (this.#samples.length > 2 && at - this.#samples[0]!.at > this.#windowMs) {
      this.#samples.shift();
    }
    const due = this.#lastEmitAt + this.#intervalMs - at;
    const finished = progress.total !== undefined && progress.transferred >= progress.total;
    if (due <= 0 || finished) return this.flush();
    // The last report before a stall or a pause must not be lost: send it when the interval ends.
    this.#trailing ??= setTimeout(() => this.flush(), due);
  }

  /** Sends the latest report now, unless it was sent already. */
  flush(): void {
    clearTimeout(this.#trailing);
    this.#trailing = undefined;
    if (!this.#latest) return;
    const progress = this.#measure(this.#latest);
    const key = `${progress.transferred}/${progress.total}`;
    if (key === this.#lastSent) return;
    this.#lastSent = key;
    this.#lastEmitAt = this.#now();
    this.#emit(progress);
  }

  /** Forgets everything (a new job, or a resumed one whose rate starts again); sends nothing. */
  reset(): void {
    clearTimeout(this.#trailing);
    this.#trailing = undefined;
    this.#samples = [];
    this.#latest = undefined;
    this.#lastSent = undefined;
    this.#lastEmitAt = Number.NEGATIVE_INFINITY;
  }

  #measure(latest: DownloadProgress): JobProgress {
    const first = this.#samples[0];
    const last = this.#samples.at(-1);
    const seconds = first && last ? (last.at - first.at) / 1000 : 0;
    const rate = seconds > 0 ? Math.max(0, (last!.bytes - first!.bytes) / seconds) : 0;
    const total = latest.total ?? null;
    const left = total === null ? null : Math.max(0, total - latest.transferred);
    return {
      transferred: latest.transferred,
      total,
      fraction: total ? Math.min(1, latest.transferred / total) : null,
      rate: Math.round(rate),
      etaSeconds: left === null ? null : left === 0 ? 0 : rate > 0 ? Math.ceil(left / rate) : null,
    };
  }
}
