// A task repeated on a timer, never two runs at once: how a replica on a shared store keeps taking over
// the work of replicas that stopped (their leases run out while it runs, not only before it started).

export interface Repeating {
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
}

/** Runs `task` every `everyMs` until stopped; a run that throws goes to `onError` and the next one still runs. */
export function repeatEvery(everyMs: number, task: () => Promise<unknown>, onError: (e: unknown) => void): Repeating {
  if (!Number.isFinite(everyMs) || everyMs <= 0) throw new TypeError(`repeatEvery: everyMs must be a positive number (got ${everyMs})`);
  let running: Promise<void> | undefined;
  const timer = setInterval(() => {
    if (running) return;
    running = task()
      .then(() => undefined, onError)
      .finally(() => (running = undefined));
  }, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
