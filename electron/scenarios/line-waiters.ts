/** Promises that wait for a condition on what a child process printed, until it ends. */
export class LineWaiters {
  readonly #watchers = new Set<() => void>();
  #finished = false;

  /** Resolves once `ready()` holds; rejects with `reason` if the process ends first. */
  until(ready: () => boolean, reason: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const check = () => {
        if (ready()) resolve();
        else if (this.#finished) reject(new Error(reason));
        else return;
        this.#watchers.delete(check);
      };
      this.#watchers.add(check);
      check();
    });
  }

  /** Checks every waiting condition again (a new line arrived). */
  notify(): void {
    for (const watcher of [...this.#watchers]) watcher();
  }

  /** The process ended: conditions that do not hold now never will. */
  finish(): void {
    this.#finished = true;
    this.notify();
  }
}
