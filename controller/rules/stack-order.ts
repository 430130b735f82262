// The order stacks of one environment go in: a stack comes after every stack it depends on (it reads
// their resources, or they hold what it needs). Stacks are grouped in waves: the stacks of one wave do
// not depend on each other, so they may run at the same time; a wave starts when the one before ends.
// Pure: the app computes it at synth time, the controller from the synth output's manifest.

/** Stack name → the stacks it comes after. Every stack of the set is a key, with `[]` when it has no dependency. */
export type StackGraph = Readonly<Record<string, readonly string[]>>;

/** Stacks in waves, first wave first; stacks of a wave in name order. */
export type StackWaves = readonly (readonly string[])[];

/** Dependencies that form a cycle: no order exists. */
export class StackCycleError extends Error {
  /** The stacks of one cycle in dependency order, the first repeated at the end (`a → b → a`: a depends on b, b on a). */
  readonly cycle: readonly string[];

  constructor(cycle: readonly string[]) {
    super(`stacks depend on each other in a cycle: ${cycle.join(' → ')} (each stack depends on the next)`);
    this.name = 'StackCycleError';
    this.cycle = cycle;
  }
}

/** A stack depends on a stack that is not in the set. */
export class UnknownStackDependencyError extends Error {
  constructor(readonly missing: readonly { readonly stack: string; readonly dependency: string }[]) {
    super(missing.map((m) => `stack ${m.stack} depends on ${m.dependency}, which is not a stack of the set`).join('; '));
    this.name = 'UnknownStackDependencyError';
  }
}

const byName = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/** Dependencies on stacks outside the graph, in name order. */
export function unknownDependencies(graph: StackGraph): { stack: string; dependency: string }[] {
  return Object.keys(graph)
    .sort(byName)
    .flatMap((stack) =>
      [...new Set(graph[stack])]
        .filter((d) => !Object.hasOwn(graph, d))
        .sort(byName)
        .map((dependency) => ({ stack, dependency })),
    );
}

/** One cycle among `stacks` (each of which has a dependency among them): follow dependencies until a stack repeats. */
function findCycle(graph: StackGraph, stacks: ReadonlySet<string>): string[] {
  const start = [...stacks].sort(byName)[0];
  const path: string[] = [];
  const seen = new Map<string, number>();
  let current = start;
  while (!seen.has(current)) {
    seen.set(current, path.length);
    path.push(current);
    current = [...graph[current]].sort(byName).find((d) => stacks.has(d))!;
  }
  return [...path.slice(seen.get(current)), current];
}

/**
 * The stacks in waves: each stack in the first wave after all its dependencies (a stack without any is in
 * the first). Throws UnknownStackDependencyError for a dependency outside the graph, StackCycleError for a cycle.
 */
export function stackWaves(graph: StackGraph): string[][] {
  const missing = unknownDependencies(graph);
  if (missing.length > 0) throw new UnknownStackDependencyError(missing);
  const waiting = new Map(Object.keys(graph).map((stack) => [stack, new Set(graph[stack])]));
  const waves: string[][] = [];
  while (waiting.size > 0) {
    const ready = [...waiting].filter(([, deps]) => deps.size === 0).map(([stack]) => stack);
    if (ready.length === 0) throw new StackCycleError(findCycle(graph, new Set(waiting.keys())));
    for (const stack of ready) waiting.delete(stack);
    for (const deps of waiting.values()) for (const stack of ready) deps.delete(stack);
    waves.push(ready.sort(byName));
  }
  return waves;
}

/**
 * The graph among `stacks` alone, keeping the order the left-out stacks imposed: `a` depends on `c` when it
 * did through any chain of stacks not in `stacks` (a → b → c with b left out). Dependencies outside the graph
 * are dropped here; call stackWaves on the whole graph first to refuse them.
 */
export function subGraph(graph: StackGraph, stacks: Iterable<string>): Record<string, string[]> {
  const kept = new Set([...stacks].filter((s) => Object.hasOwn(graph, s)));
  const result: Record<string, string[]> = {};
  for (const stack of [...kept].sort(byName)) {
    const found = new Set<string>();
    const visited = new Set<string>();
    const pending = [...graph[stack]];
    while (pending.length > 0) {
      const next = pending.pop()!;
      if (visited.has(next) || !Object.hasOwn(graph, next)) continue;
      visited.add(next);
      if (kept.has(next)) found.add(next);
      else pending.push(...graph[next]);
    }
    result[stack] = [...found].sort(byName);
  }
  return result;
}

/** The stacks skipped because `failed` failed: every stack that depends on one of them, directly or through others; in name order. */
export function skippedStacks(graph: StackGraph, failed: Iterable<string>): string[] {
  const dependents = new Map<string, string[]>();
  for (const [stack, deps] of Object.entries(graph)) {
    for (const dep of deps) dependents.set(dep, [...(dependents.get(dep) ?? []), stack]);
  }
  const failedSet = new Set(failed);
  const skipped = new Set<string>();
  const pending = [...failedSet];
  while (pending.length > 0) {
    for (const dependent of dependents.get(pending.pop()!) ?? []) {
      if (skipped.has(dependent) || failedSet.has(dependent)) continue;
      skipped.add(dependent);
      pending.push(dependent);
    }
  }
  return [...skipped].sort(byName);
}
