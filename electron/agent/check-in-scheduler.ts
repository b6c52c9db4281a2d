/** Options of a CheckInScheduler. */
export interface CheckInSchedulerOptions {
  /** One check-in; may return the interval the portal asked for. */
  run: () => Promise<{ checkInIntervalSec: number } | void>;
  /** Interval until the portal names one. */
  intervalSec: number;
  /** Spread of each delay, as a share of the interval (0.1 = ±10 %). */
  jitterRatio?: number;
  /** Source of randomness in [0, 1). */
  random?: () => number;
  /** Told about each failed run; the schedule goes on. */
  onError?: (error: unknown) => void;
  /** Run once right away on start() instead of after the first interval. */
  immediate?: boolean;
}

/** Runs check-ins periodically with jitter, one at a time, following the portal's interval. */
export class CheckInScheduler {
  readonly #run: CheckInSchedulerOptions['run'];
  readonly #jitterRatio: number;
  readonly #random: () => number;
  readonly #onError: (error: unknown) => void;
  readonly #immediate: boolean;
  #intervalSec: number;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #running: Promise<void> | undefined;
  #started = false;

  constructor(options: CheckInSchedulerOptions) {
    this.#run = options.run;
    this.#intervalSec = options.intervalSec;
    this.#jitterRatio = Math.min(Math.max(options.jitterRatio ?? 0.1, 0), 1);
    this.#random = options.random ?? Math.random;
    this.#onError = options.onError ?? (() => {});
    this.#immediate = options.immediate ?? false;
  }

  /** The interval in use (the last one the portal named). */
  get intervalSec(): number {
    return this.#intervalSec;
  }

  /** Whether start() was called and stop() not yet. */
  get started(): boolean {
    return this.#started;
  }

  /** The next delay: the interval ± jitter, in milliseconds. */
  nextDelayMs(): number {
    // Jitter spreads a fleet of agents that booted together over the interval.
    const factor = 1 + (this.#random() * 2 - 1) * this.#jitterRatio;
    return Math.max(0, Math.round(this.#intervalSec * 1000 * factor));
  }

  /** Starts the schedule (no-op when already started). */
  start(): void {
    if (this.#started) return;
    this.#started = true;
    if (this.#immediate) void this.triggerNow();
    else this.#schedule();
  }

  /** Stops the schedule; a run under way finishes but schedules nothing. */
  stop(): void {
    this.#started = false;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  /** Runs a check-in now (or joins the one under way); never rejects, errors go to onError. */
  triggerNow(): Promise<void> {
    this.#running ??= this.#runOnce().finally(() => {
      this.#running = undefined;
      this.#schedule();
    });
    return this.#running;
  }

  async #runOnce(): Promise<void> {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    try {
      const result = await this.#run();
      if (result && Number.isFinite(result.checkInIntervalSec) && result.checkInIntervalSec > 0) {
        this.#intervalSec = result.checkInIntervalSec;
      }
    } catch (error) {
      try {
        this.#onError(error);
      } catch {
        // A failing error handler must not break the schedule.
      }
    }
  }

  #schedule(): void {
    if (!this.#started || this.#running) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => void this.triggerNow(), this.nextDelayMs());
  }
}
