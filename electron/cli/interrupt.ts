const SIGNALS = ['SIGINT', 'SIGTERM'] as const;

// conf's atomic writer (via when-exit) re-sends every SIGINT/SIGTERM to the process after its
// own cleanup, which would turn one Ctrl-C into two; the CLI owns these signals while it runs.
function captureSignals(onSignal: () => void): () => void {
  const previous = SIGNALS.map((signal) => [signal, process.listeners(signal)] as const);
  for (const signal of SIGNALS) {
    process.removeAllListeners(signal);
    process.on(signal, onSignal);
  }
  return () => {
    for (const [signal, listeners] of previous) {
      process.off(signal, onSignal);
      for (const listener of listeners) process.on(signal, listener);
    }
  };
}

/** Runs a job with an AbortSignal that fires on the first Ctrl-C; a second Ctrl-C exits at once. */
export async function withInterrupt<T>(job: (signal: AbortSignal) => Promise<T>): Promise<T> {
  const controller = new AbortController();
  const restore = captureSignals(() => {
    if (controller.signal.aborted) process.exit(130);
    controller.abort();
  });
  try {
    return await job(controller.signal);
  } finally {
    restore();
  }
}

/** Resolves on the first SIGINT or SIGTERM (for commands that serve until stopped). */
export async function untilInterrupted(): Promise<void> {
  let restore = () => {};
  // A server taken down by the `down` fault holds no handle; this keeps the process serving.
  const keepAlive = setInterval(() => undefined, 2 ** 30);
  await new Promise<void>((resolve) => (restore = captureSignals(resolve)));
  clearInterval(keepAlive);
  restore();
}
