// The order of one environment's stacks, from what the systems declare (SystemDefinition.after): the
// account stack of a site before the systems there, a stack after the stacks whose resources it looks up,
// and `release-<env>` after every other stack (it records the commit once everything is deployed).
import { StackCycleError, stackWaves, type StackGraph } from '../controller/rules/stack-order.js';
import type { StackDependency, SystemDefinition } from '../modules/systems/types.js';

/** What the graph needs of a stack the app built. */
export interface GraphStack {
  readonly name: string;
  /** The system, `account` or `release`. */
  readonly system: string;
  /** Where it runs: the environment's primary or DR site (`release` runs at neither). */
  readonly site?: 'primary' | 'dr';
}

/** The environment's stacks cannot be ordered: a cycle, or a dependency on a stack it does not have. */
export class StackOrderError extends Error {
  constructor(
    readonly environment: string,
    readonly problems: readonly string[],
  ) {
    super(`environment ${environment}: ${problems.join('; ')}`);
    this.name = 'StackOrderError';
  }
}

/** The site a dependency points at, seen from a stack at `from`. */
const siteOf = (dep: StackDependency, from: 'primary' | 'dr'): 'primary' | 'dr' => (dep.site === 'same' ? from : dep.site);

/**
 * Each stack of one environment → the stacks it comes after, checked: throws StackOrderError naming the stacks
 * of a cycle, or every stack that depends on one the environment lacks (a primary's DR copy excepted: see StackDependency).
 * `stackName(system, site)` names the stack of a system at a site, for the error of a missing one.
 */
export function environmentGraph(
  environment: string,
  stacks: readonly GraphStack[],
  systems: readonly SystemDefinition[],
  stackName: (system: string, site: 'primary' | 'dr') => string,
): StackGraph {
  const at = new Map(stacks.filter((s) => s.site !== undefined).map((s) => [`${s.system}@${s.site}`, s.name]));
  const graph: Record<string, string[]> = {};
  const problems: string[] = [];
  for (const stack of stacks) {
    if (stack.system === 'release') {
      graph[stack.name] = stacks
        .filter((s) => s !== stack)
        .map((s) => s.name)
        .sort();
      continue;
    }
    const from = stack.site ?? 'primary';
    const declared = systems.find((d) => d.name === stack.system)?.after?.[from] ?? [];
    const deps = new Set<string>();
    for (const dep of declared) {
      const site = siteOf(dep, from);
      const name = at.get(`${dep.system}@${site}`);
      if (name !== undefined) deps.add(name);
      // a primary stack looks a DR copy up only where the environment runs one
      else if (!(from === 'primary' && site === 'dr')) {
        problems.push(
          `stack ${stack.name} comes after ${stackName(dep.system, site)} (${dep.reason}), which this environment does not have`,
        );
      }
    }
    graph[stack.name] = [...deps].sort();
  }
  if (problems.length > 0) throw new StackOrderError(environment, problems);
  try {
    stackWaves(graph);
  } catch (e) {
    if (e instanceof StackCycleError) throw new StackOrderError(environment, [e.message]);
    throw e;
  }
  return graph;
}
