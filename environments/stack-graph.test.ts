import { environmentGraph, StackOrderError, type GraphStack } from './stack-graph.js';
import { AFTER_ACCOUNT, type StackDependency, type SystemDefinition } from '../modules/systems/types.js';
import { systems as realSystems } from '../modules/systems/index.js';

/** A system that declares `after` and builds nothing (environmentGraph reads only the declarations). */
const declaring = (name: string, after: SystemDefinition['after']): SystemDefinition =>
  ({ name, cloud: 'aws', cidrIndex: 0, after, create: () => undefined as never }) as unknown as SystemDefinition;

const nameOf = (system: string, site: 'primary' | 'dr') => (site === 'dr' ? `${system}-prod-eu-central-1` : `${system}-prod`);
const stack = (system: string, site?: 'primary' | 'dr'): GraphStack => ({
  name: site ? nameOf(system, site) : `${system}-prod`,
  system,
  site,
});
const graphOf = (stacks: GraphStack[], systems: SystemDefinition[]) => environmentGraph('prod', stacks, systems, nameOf);
const errorOf = (fn: () => unknown): StackOrderError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof StackOrderError) return e;
    throw e;
  }
  throw new Error('no StackOrderError');
};

describe('environmentGraph with the systems of this repository', () => {
  const all: GraphStack[] = [
    stack('account', 'primary'),
    stack('account', 'dr'),
    ...['ingest', 'agri'].map((s) => stack(s, 'primary')),
    ...['imaging', 'payments', 'commerce'].flatMap((s) => [stack(s, 'primary'), stack(s, 'dr')]),
    stack('release'),
  ];

  test('GIVEN prod with DR copies WHEN the graph is made THEN accounts first, imaging DR before its primary, payments and commerce primaries before their DR copies, release after all', () => {
    const graph = graphOf(all, [...realSystems]);
    expect(graph).toEqual({
      'account-prod': [],
      'account-prod-eu-central-1': [],
      'ingest-prod': ['account-prod'],
      'agri-prod': ['account-prod'],
      'imaging-prod': ['account-prod', 'imaging-prod-eu-central-1'],
      'imaging-prod-eu-central-1': ['account-prod-eu-central-1'],
      'payments-prod': ['account-prod'],
      'payments-prod-eu-central-1': ['account-prod-eu-central-1', 'payments-prod'],
      'commerce-prod': ['account-prod'],
      'commerce-prod-eu-central-1': ['account-prod-eu-central-1', 'commerce-prod'],
      'release-prod': all
        .filter((s) => s.system !== 'release')
        .map((s) => s.name)
        .sort(),
    });
  });

  test('GIVEN imaging without its DR copy WHEN the graph is made THEN the primary comes after the account alone (the DR lookup is not made)', () => {
    const graph = graphOf([stack('account', 'primary'), stack('imaging', 'primary'), stack('release')], [...realSystems]);
    expect(graph['imaging-prod']).toEqual(['account-prod']);
  });

  test('GIVEN a system stack without its account stack WHEN the graph is made THEN the error names both stacks and the reason', () => {
    const e = errorOf(() => graphOf([stack('ingest', 'primary'), stack('release')], [...realSystems]));
    expect(e.message).toBe(
      "environment prod: stack ingest-prod comes after account-prod (account/region singletons, such as API Gateway's CloudWatch Logs role that REST stages log through), which this environment does not have",
    );
  });
});

describe('environmentGraph with declared dependencies', () => {
  const on = (system: string, site: StackDependency['site']): StackDependency => ({
    system: system as never,
    site,
    reason: `reads ${system}`,
  });

  test('GIVEN two systems that each come after the other WHEN the graph is made THEN a StackOrderError names the cycle', () => {
    const systems = [declaring('a', { primary: [on('b', 'same')] }), declaring('b', { primary: [on('a', 'primary')] })];
    const e = errorOf(() => graphOf([stack('a', 'primary'), stack('b', 'primary'), stack('release')], systems));
    expect(e.message).toBe(
      'environment prod: stacks depend on each other in a cycle: a-prod → b-prod → a-prod (each stack depends on the next)',
    );
  });

  test('GIVEN a DR stack that declares itself WHEN the graph is made THEN it is a cycle of one, not dropped', () => {
    const systems = [declaring('a', { dr: [on('a', 'same')] })];
    expect(() => graphOf([stack('a', 'primary'), stack('a', 'dr'), stack('release')], systems)).toThrow(
      'cycle: a-prod-eu-central-1 → a-prod-eu-central-1',
    );
  });

  test("GIVEN dependencies on missing stacks WHEN the graph is made THEN each is named in one error, except a primary stack's on a DR copy the environment does not run", () => {
    const systems = [declaring('a', { primary: [on('b', 'primary'), AFTER_ACCOUNT, on('d', 'dr')], dr: [on('c', 'same')] })];
    const e = errorOf(() => graphOf([stack('a', 'primary'), stack('a', 'dr'), stack('release')], systems));
    expect(e.problems).toEqual([
      'stack a-prod comes after b-prod (reads b), which this environment does not have',
      `stack a-prod comes after account-prod (${AFTER_ACCOUNT.reason}), which this environment does not have`,
      'stack a-prod-eu-central-1 comes after c-prod-eu-central-1 (reads c), which this environment does not have',
    ]);
  });

  test('GIVEN a system without declarations WHEN the graph is made THEN its stacks come after nothing and release after them', () => {
    expect(graphOf([stack('a', 'primary'), stack('release')], [declaring('a', undefined)])).toEqual({
      'a-prod': [],
      'release-prod': ['a-prod'],
    });
  });
});
