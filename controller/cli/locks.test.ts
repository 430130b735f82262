import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from '../cli.js';
import { SqliteStore } from '../store/sqlite-store.js';

let dir: string;
const saved = { work: process.env.GITOPS_WORK_DIR, db: process.env.GITOPS_DB_PATH };
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gitops-cli-locks-'));
  process.env.GITOPS_WORK_DIR = dir;
  delete process.env.GITOPS_DB_PATH;
});
afterEach(() => {
  process.env.GITOPS_WORK_DIR = saved.work;
  if (saved.db === undefined) delete process.env.GITOPS_DB_PATH;
  else process.env.GITOPS_DB_PATH = saved.db;
  rmSync(dir, { recursive: true, force: true });
});

async function gitops(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe('gitops locks', () => {
  test('GIVEN the dev lock held and two waiters in the store under GITOPS_WORK_DIR WHEN listed THEN the holder comes first and the waiters in order', async () => {
    const store = new SqliteStore(join(dir, 'gitops.sqlite'), { controllerId: 'ctl-1' });
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
    new SqliteStore(join(dir, 'gitops.sqlite')).close();
    expect(await gitops('locks')).toEqual({ code: 0, out: ['no locks held or waited for'], err: [] });
  });

  test('GIVEN no store at the path WHEN listed THEN one line names the path and the variables, exit 2', async () => {
    process.env.GITOPS_DB_PATH = join(dir, 'nowhere.sqlite');
    const r = await gitops('locks');
    expect(r.code).toBe(2);
    expect(r.err).toEqual([
      expect.stringContaining(`no controller store at ${join(dir, 'nowhere.sqlite')} (set GITOPS_WORK_DIR or GITOPS_DB_PATH`),
    ]);
  });

  test('GIVEN an unknown flag WHEN run THEN one line names it, exit 2', async () => {
    const r = await gitops('locks', '--env', 'dev');
    expect(r.code).toBe(2);
    expect(r.err).toHaveLength(1);
    expect(r.err[0]).toContain('--env');
  });
});
