// The order stacks of one environment apply in, and running them in it. An order says, per stack,
// which stacks must have applied before it; stacks whose predecessors are done run in parallel up to a
// bound, and a stack after one that failed (or was skipped) is skipped. `listedOrder` is the default
// the controller uses until the systems declare their order as data: each stack after the one listed
// before it, so nothing runs in parallel and the first failure skips the rest. `wavesOrder` follows the
// waves the synth recorded from the systems' declared dependencies (the order the plan comment shows).

export interface StackStep {
  readonly stack: string;
  /** Stacks that must have applied successfully first; names outside this apply are ignored. */
  readonly after: readonly string[];
}

/** Turns the stacks of an environment (in the plan's order) into steps. */
export type ApplyOrder = (environment: string, stacks: readonly string[]) => StackStep[];

export const listedOrder: ApplyOrder = (_environment, stacks) =>
  stacks.map((stack, i) => ({ stack, after: i === 0 ? [] : [stacks[i - 1]] }));

/**
 * The waves of the head's synth output (dependencies first) as an order: each stack after the stacks of the
 * nearest earlier wave that has any of this apply's stacks, so a wave runs in parallel (bounded) and a failure
 * skips every later wave. Stacks the waves do not name come last, one after the other.
 */
export function wavesOrder(waves: readonly (readonly string[])[]): ApplyOrder {
  return (_environment, stacks) => {
    const wanted = new Set(stacks);
    const steps: StackStep[] = [];
    let before: string[] = [];
    for (const wave of waves) {
      const here = wave.filter((s) => wanted.has(s));
      if (here.length === 0) continue;
      steps.push(...here.map((stack) => ({ stack, after: before })));
      before = here;
    }
    const named = new Set(steps.map((s) => s.stack));
    for (const stack of stacks.filter((s) => !named.has(s))) {
      steps.push({ stack, after: before });
      before = [stack];
    }
    return steps;
  };
}

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
