import fc from 'fast-check';
import { skippedStacks, StackCycleError, stackWaves, subGraph, UnknownStackDependencyError, type StackGraph } from './stack-order.js';

/** The prod environment as the app builds it: account stacks, primaries before their DR copies (imaging the other way round), release last. */
const PROD: StackGraph = {
  'account-prod': [],
  'account-prod-eu-central-1': [],
  'agri-prod': ['account-prod'],
  'commerce-prod': ['account-prod'],
  'commerce-prod-eu-central-1': ['account-prod-eu-central-1', 'commerce-prod'],
  'imaging-prod': ['account-prod', 'imaging-prod-eu-central-1'],
  'imaging-prod-eu-central-1': ['account-prod-eu-central-1'],
  'ingest-prod': ['account-prod'],
  'payments-prod': ['account-prod'],
  'payments-prod-eu-central-1': ['account-prod-eu-central-1', 'payments-prod'],
  'release-prod': [
    'account-prod',
    'account-prod-eu-central-1',
    'agri-prod',
    'commerce-prod',
    'commerce-prod-eu-central-1',
    'imaging-prod',
    'imaging-prod-eu-central-1',
    'ingest-prod',
    'payments-prod',
    'payments-prod-eu-central-1',
  ],
};

describe('stackWaves', () => {
  test('GIVEN the prod graph WHEN ordered THEN account stacks first, then every stack after its dependencies, release alone last', () => {
    expect(stackWaves(PROD)).toEqual([
      ['account-prod', 'account-prod-eu-central-1'],
      ['agri-prod', 'commerce-prod', 'imaging-prod-eu-central-1', 'ingest-prod', 'payments-prod'],
      ['commerce-prod-eu-central-1', 'imaging-prod', 'payments-prod-eu-central-1'],
      ['release-prod'],
    ]);
  });

  test('GIVEN no stacks WHEN ordered THEN there is no wave', () => {
    expect(stackWaves({})).toEqual([]);
  });

  test('GIVEN a stack listed twice as a dependency WHEN ordered THEN it counts once', () => {
    expect(stackWaves({ a: ['b', 'b'], b: [] })).toEqual([['b'], ['a']]);
  });

  test('GIVEN a cycle of three behind an independent stack WHEN ordered THEN StackCycleError names the three in dependency order', () => {
    const graph = { x: [], a: ['b', 'x'], b: ['c'], c: ['a'], d: ['a'] };
    expect(() => stackWaves(graph)).toThrow(StackCycleError);
    try {
      stackWaves(graph);
    } catch (e) {
      expect((e as StackCycleError).cycle).toEqual(['a', 'b', 'c', 'a']);
      expect((e as Error).message).toBe('stacks depend on each other in a cycle: a → b → c → a (each stack depends on the next)');
    }
  });

  test('GIVEN a stack that depends on itself WHEN ordered THEN the cycle is that stack alone', () => {
    expect(() => stackWaves({ a: ['a'] })).toThrow('cycle: a → a');
  });

  test('GIVEN dependencies on stacks not in the graph WHEN ordered THEN UnknownStackDependencyError names every one', () => {
    const graph = { a: ['ghost', 'b'], b: ['phantom'] };
    expect(() => stackWaves(graph)).toThrow(UnknownStackDependencyError);
    expect(() => stackWaves(graph)).toThrow(
      'stack a depends on ghost, which is not a stack of the set; stack b depends on phantom, which is not a stack of the set',
    );
  });

  test('GIVEN a graph with a prototype key as a dependency WHEN ordered THEN it is unknown, not inherited', () => {
    expect(() => stackWaves({ a: ['constructor'] })).toThrow('stack a depends on constructor');
  });
});

describe('subGraph', () => {
  test('GIVEN prod and the affected stacks imaging-prod, its DR copy and release WHEN restricted THEN the order among them is kept', () => {
    const affected = subGraph(PROD, ['release-prod', 'imaging-prod', 'imaging-prod-eu-central-1']);
    expect(affected).toEqual({
      'imaging-prod': ['imaging-prod-eu-central-1'],
      'imaging-prod-eu-central-1': [],
      'release-prod': ['imaging-prod', 'imaging-prod-eu-central-1'],
    });
    expect(stackWaves(affected)).toEqual([['imaging-prod-eu-central-1'], ['imaging-prod'], ['release-prod']]);
  });

  test('GIVEN a → b → c and only a and c WHEN restricted THEN a still depends on c', () => {
    expect(subGraph({ a: ['b'], b: ['c'], c: [] }, ['a', 'c'])).toEqual({ a: ['c'], c: [] });
  });

  test('GIVEN names not in the graph WHEN restricted THEN they are left out', () => {
    expect(subGraph({ a: [] }, ['a', 'removed-stack'])).toEqual({ a: [] });
  });
});

describe('skippedStacks', () => {
  test('GIVEN prod WHEN payments-prod fails THEN its DR copy and release are skipped, nothing else', () => {
    expect(skippedStacks(PROD, ['payments-prod'])).toEqual(['payments-prod-eu-central-1', 'release-prod']);
  });

  test('GIVEN prod WHEN account-prod-eu-central-1 fails THEN every DR stack, the imaging primary and release are skipped', () => {
    expect(skippedStacks(PROD, ['account-prod-eu-central-1'])).toEqual([
      'commerce-prod-eu-central-1',
      'imaging-prod',
      'imaging-prod-eu-central-1',
      'payments-prod-eu-central-1',
      'release-prod',
    ]);
  });

  test('GIVEN two failed stacks, one depending on the other WHEN skipped THEN a failed stack is never listed as skipped', () => {
    expect(skippedStacks(PROD, ['payments-prod', 'payments-prod-eu-central-1'])).toEqual(['release-prod']);
  });

  test('GIVEN nothing failed WHEN skipped THEN nothing is skipped', () => {
    expect(skippedStacks(PROD, [])).toEqual([]);
  });
});

/** A random acyclic graph: stack i may depend only on stacks with a smaller index, names shuffled. */
const acyclicGraph = fc
  .integer({ min: 0, max: 30 })
  .chain((n) =>
    fc.tuple(
      fc.shuffledSubarray(
        Array.from({ length: n }, (_, i) => `s${i}`),
        { minLength: n, maxLength: n },
      ),
      fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 3 * n }),
    ),
  )
  .map(([names, pairs]) => {
    const graph: Record<string, string[]> = Object.fromEntries(names.map((name) => [name, []]));
    for (const [x, y] of pairs) {
      if (names.length < 2) break;
      const [lo, hi] = [x % names.length, y % names.length].sort((a, b) => a - b);
      if (lo !== hi) graph[names[hi]].push(names[lo]);
    }
    return graph;
  });

/** Whether `from` reaches `to` by following dependencies. */
function reaches(graph: StackGraph, from: string, to: string): boolean {
  const seen = new Set<string>();
  const pending = [...graph[from]];
  while (pending.length > 0) {
    const next = pending.pop()!;
    if (next === to) return true;
    if (seen.has(next)) continue;
    seen.add(next);
    pending.push(...graph[next]);
  }
  return false;
}

describe('properties', () => {
  test('GIVEN any acyclic graph WHEN ordered THEN every stack appears once, after all its dependencies, as early as it can', () => {
    fc.assert(
      fc.property(acyclicGraph, (graph) => {
        const waves = stackWaves(graph);
        const waveOf = new Map<string, number>();
        waves.forEach((wave, i) => wave.forEach((stack) => waveOf.set(stack, i)));
        expect(waves.flat()).toHaveLength(Object.keys(graph).length);
        expect(new Set(waves.flat())).toEqual(new Set(Object.keys(graph)));
        for (const [stack, deps] of Object.entries(graph)) {
          const latest = Math.max(-1, ...deps.map((d) => waveOf.get(d)!));
          expect(waveOf.get(stack)).toBe(latest + 1);
        }
      }),
    );
  });

  test('GIVEN any acyclic graph plus an edge back along a dependency chain WHEN ordered THEN the error names a real cycle', () => {
    fc.assert(
      fc.property(
        acyclicGraph.filter((g) => Object.values(g).some((deps) => deps.length > 0)),
        fc.nat(),
        (graph, pick) => {
          const withDeps = Object.keys(graph).filter((s) => graph[s].length > 0);
          const from = withDeps[pick % withDeps.length];
          const to = graph[from][0];
          const cyclic = { ...graph, [to]: [...graph[to], from] };
          let error: unknown;
          try {
            stackWaves(cyclic);
          } catch (e) {
            error = e;
          }
          expect(error).toBeInstanceOf(StackCycleError);
          const cycle = (error as StackCycleError).cycle;
          expect(cycle[0]).toBe(cycle[cycle.length - 1]);
          for (let i = 0; i + 1 < cycle.length; i++) expect(cyclic[cycle[i]]).toContain(cycle[i + 1]);
        },
      ),
    );
  });

  test('GIVEN any acyclic graph and failed stacks WHEN skipped THEN exactly the stacks that reach a failed one are skipped', () => {
    fc.assert(
      fc.property(
        acyclicGraph.chain((g) => fc.tuple(fc.constant(g), fc.subarray(Object.keys(g)))),
        ([graph, failed]) => {
          const expected = Object.keys(graph)
            .filter((s) => !failed.includes(s) && failed.some((f) => reaches(graph, s, f)))
            .sort();
          expect(skippedStacks(graph, failed)).toEqual(expected);
        },
      ),
    );
  });

  test('GIVEN any acyclic graph and a subset WHEN restricted THEN a kept stack depends on another exactly when it reached it', () => {
    fc.assert(
      fc.property(
        acyclicGraph.chain((g) => fc.tuple(fc.constant(g), fc.subarray(Object.keys(g)))),
        ([graph, kept]) => {
          const sub = subGraph(graph, kept);
          expect(Object.keys(sub).sort()).toEqual([...kept].sort());
          for (const a of kept) for (const b of kept) if (a !== b) expect(reaches(sub, a, b)).toBe(reaches(graph, a, b));
        },
      ),
    );
  });
});
