// gitops stacks --order, driven through main() with a capturing Io, on the shipped environment files.
import { main } from '../cli.js';
import type { EnvironmentOrder } from './stacks.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

describe('gitops stacks --order', () => {
  test('GIVEN the shipped environments WHEN the order is printed THEN each environment has its waves, account first and release last', async () => {
    const c = capture();
    expect(await main(['stacks', '--order'], c.io)).toBe(0);
    expect(c.out).toEqual([
      'env   wave  stacks',
      '----  ----  ------------------------------------------------------------------------------------------------',
      'dev      1  account-dev',
      'dev      2  agri-dev, commerce-dev, imaging-dev, ingest-dev, payments-dev',
      'dev      3  release-dev',
      'prod     1  account-prod, account-prod-eu-central-1',
      'prod     2  agri-prod, commerce-prod, controller-prod, imaging-prod-eu-central-1, ingest-prod, payments-prod',
      'prod     3  commerce-prod-eu-central-1, imaging-prod, payments-prod-eu-central-1',
      'prod     4  release-prod',
      'uat      1  account-uat',
      'uat      2  agri-uat, commerce-uat, imaging-uat, ingest-uat, payments-uat',
      'uat      3  release-uat',
    ]);
    expect(c.err).toEqual([]);
  });

  test('GIVEN --env prod --json WHEN the order is printed THEN it holds the waves and what each stack comes after', async () => {
    const c = capture();
    expect(await main(['stacks', '--order', '--env', 'prod', '--json'], c.io)).toBe(0);
    const [prod, ...others] = JSON.parse(c.out.join('\n')) as EnvironmentOrder[];
    expect(others).toEqual([]);
    expect(prod.env).toBe('prod');
    expect(prod.waves.at(-1)).toEqual(['release-prod']);
    expect(prod.dependencies['imaging-prod']).toEqual(['account-prod', 'imaging-prod-eu-central-1']);
    expect(prod.dependencies['payments-prod-eu-central-1']).toEqual(['account-prod-eu-central-1', 'payments-prod']);
    expect(prod.dependencies['commerce-prod-eu-central-1']).toEqual(['account-prod-eu-central-1', 'commerce-prod']);
    expect(prod.dependencies['controller-prod']).toEqual(['account-prod']);
    expect(prod.dependencies['release-prod']).toHaveLength(11);
  });

  test.each([
    [['--order=yes'], "gitops stacks: Option '--order' does not take an argument (see gitops stacks --help)"],
    [['--order', '--env', 'staging'], 'gitops stacks: unknown environment "staging" (allowed: dev, prod, uat) (see gitops stacks --help)'],
    [['--orders'], "gitops stacks: Unknown option '--orders' (see gitops stacks --help)"],
  ])('GIVEN stacks %j WHEN run THEN exit 2 with one line naming the flag or its value', async (flags, line) => {
    const c = capture();
    expect(await main(['stacks', ...flags], c.io)).toBe(2);
    expect(c.err).toEqual([line]);
    expect(c.out).toEqual([]);
  });
});
