import { join } from 'node:path';
import { gitops, useStoreWorkDir } from '../../test/fixtures/cli-store.js';
import { SqliteStore } from '../store/sqlite-store.js';

const workDir = useStoreWorkDir('gitops-cli-locks-');

describe('gitops locks', () => {
  test('GIVEN the dev lock held and two waiters in the store under GITOPS_WORK_DIR WHEN listed THEN the holder comes first and the waiters in order', async () => {
    const store = new SqliteStore(join(workDir(), 'gitops.sqlite'), { controllerId: 'ctl-1' });
    for (const pr of [3, 4, 5])
      await store.enterLockQueue({
        repo: 'acme/infra',
        environment: 'dev',
        holder: `acme/infra#${pr}`,
        pr,
        sha: `${pr}`.repeat(40),
        leaseMs: 60_000,
      });
    store.close();
    const r = await gitops('locks');
    expect(r.code).toBe(0);
    expect(r.out[0].split(/\s+/)).toEqual(['repository', 'environment', 'state', 'holder', 'sha', 'since', 'lease', 'until', 'controller']);
    expect(r.out.slice(2).map((l) => l.split(/\s{2,}/).slice(2, 4))).toEqual([
      ['held', 'acme/infra#3'],
      ['waiting (1)', 'acme/infra#4'],
      ['waiting (2)', 'acme/infra#5'],
    ]);
    const json = await gitops('locks', '--json');
    expect(JSON.parse(json.out.join('\n')).map((l: { pr: number; state: string }) => [l.pr, l.state])).toEqual([
      [3, 'held'],
      [4, 'waiting'],
      [5, 'waiting'],
    ]);
  });

  test('GIVEN an empty store WHEN listed THEN it says so', async () => {
    new SqliteStore(join(workDir(), 'gitops.sqlite')).close();
    expect(await gitops('locks')).toEqual({ code: 0, out: ['no locks held or waited for'], err: [] });
  });

  test('GIVEN no store at the path WHEN listed THEN one line names the path and the variables, exit 2', async () => {
    process.env.GITOPS_DB_PATH = join(workDir(), 'nowhere.sqlite');
    const r = await gitops('locks');
    expect(r.code).toBe(2);
    expect(r.err).toEqual([
      expect.stringContaining(`no controller store at ${join(workDir(), 'nowhere.sqlite')} (set GITOPS_WORK_DIR or GITOPS_DB_PATH`),
    ]);
  });

  test('GIVEN an unknown flag WHEN run THEN one line names it, exit 2', async () => {
    const r = await gitops('locks', '--env', 'dev');
    expect(r.code).toBe(2);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toContain('--env');
  });
});
