// The order stacks of one environment apply in, and running them in it. An order says, per stack,
// which stacks must have applied before it; stacks whose predecessors are done run in parallel up to a
// bound, and a stack after one that failed (or was skipped) is skipped. `listedOrder` is the default
// the controller uses until the systems declare their order as data: each stack after the one listed
// before it, so nothing runs in parallel and the first failure skips the rest.

export interface StackStep {
  readonly stack: string;
  /** Stacks that must have applied successfully first; names outside this apply are ignored. */
  readonly after: readonly string[];
}

/** Turns the stacks of an environment (in the plan's order) into steps. */
export type ApplyOrder = (environment: string, stacks: readonly string[]) => StackStep[];

export const listedOrder: ApplyOrder = (_environment, stacks) =>
  stacks.map((stack, i) => ({ stack, after: i === 0 ? [] : [stacks[i - 1]] }));

export type StepResult = 'succeeded' | 'failed' | 'skipped';

/**
 * Runs every step once its predecessors succeeded, at most `concurrency` at a time; `run` resolves true
 * when the stack applied. Returns each stack's result, in the steps' order.
 */
export async function runInOrder(
  steps: readonly StackStep[],
  run: (stack: string) => Promise<boolean>,
  concurrency = 2,
): Promise<Map<string, StepResult>> {
  if (!Number.isInteger(concurrency) || concurrency < 1)
    throw new RangeError(`runInOrder: concurrency must be a whole number of at least 1 (got ${concurrency})`);
  const names = new Set(steps.map((s) => s.stack));
  const results = new Map<string, StepResult>();
  const running = new Map<string, Promise<void>>();
  const pending = [...steps];
  for (;;) {
    // skip whatever follows a failure, until nothing more is skipped
    for (let changed = true; changed;) {
      changed = false;
      for (const step of [...pending]) {
        if (step.after.some((p) => results.get(p) === 'failed' || results.get(p) === 'skipped')) {
          results.set(step.stack, 'skipped');
          pending.splice(pending.indexOf(step), 1);
          changed = true;
        }
      }
    }
    const ready = pending.filter((s) => s.after.every((p) => !names.has(p) || results.get(p) === 'succeeded'));
    for (const step of ready.slice(0, concurrency - running.size)) {
      pending.splice(pending.indexOf(step), 1);
      const done = run(step.stack)
        .catch(() => false)
        .then((ok) => {
          results.set(step.stack, ok ? 'succeeded' : 'failed');
          running.delete(step.stack);
        });
      running.set(step.stack, done);
    }
    if (running.size === 0) {
      // what is left waits on a stack that never comes (a cycle): skipped rather than run out of order
      for (const step of pending) results.set(step.stack, 'skipped');
      break;
    }
    await Promise.race(running.values());
  }
  return new Map(steps.map((s) => [s.stack, results.get(s.stack)!]));
}
