/** Fires when no byte arrived for a while; time spent waiting on the disk or the consumer does not count. */
export class StallTimer {
  private readonly timer: NodeJS.Timeout;
  private busy = false;

  constructor(
    readonly timeoutMs: number,
    private readonly onStall: () => void,
  ) {
    this.timer = setTimeout(() => this.fire(), timeoutMs);
  }

  /** Local work started (disk, consumer, callbacks): the network is not to blame meanwhile. */
  hold(): void {
    this.busy = true;
  }

  /** Local work done: the wait for the network starts again. */
  release(): void {
    this.busy = false;
    this.timer.refresh();
  }

  /** Something arrived (a redirect): the wait starts again. */
  touch(): void {
    this.timer.refresh();
  }

  /** Stops the timer for good. */
  stop(): void {
    clearTimeout(this.timer);
  }

  private fire(): void {
    if (this.busy) {
      this.timer.refresh();
      return;
    }
    this.onStall();
  }
}
