import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { GitHistory } from '../../test/fixtures/git-history.js';
import { main } from '../cli.js';

const BIN = fileURLToPath(new URL('../../bin/gitops.mjs', import.meta.url));
let root: string;
let n = 0;
beforeAll(() => (root = mkdtempSync(join(tmpdir(), 'gitops-sync-'))));
afterAll(() => rmSync(root, { recursive: true, force: true }));

async function gitops(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

/** main moved; uat has a commit that rebases cleanly; dev one that conflicts with main in a.txt. */
function remote(): { h: GitHistory; uat: string; dev: string } {
  const h = new GitHistory(join(root, `r${++n}`), { 'a.txt': 'a\n', 'b.txt': 'b\n' });
  const uat = h.commit('uat', { 'b.txt': 'uat\n' });
  const dev = h.commit('dev', { 'a.txt': 'dev\n' });
  h.commit('main', { 'a.txt': 'main\n' });
  h.push('main', 'uat', 'dev');
  return { h, uat, dev };
}

describe('gitops sync', () => {
  test('GIVEN dev conflicts with main WHEN synced THEN exit 3, uat is pushed, dev is untouched and its file is listed', async () => {
    const { h, uat, dev } = remote();
    const r = await gitops('sync', '--repo', h.bareDir);
    expect(r.code).toBe(3);
    expect(r.err).toEqual([]);
    expect(r.out[0]).toMatch(/^uat, dev onto main [0-9a-f]{7}$/);
    expect(r.out[1]).toMatch(/^uat: synced: pushed uat /);
    expect(r.out.slice(2)).toEqual([
      'dev: conflict: rebasing dev onto main conflicts in a.txt; aborted, nothing pushed',
      '  conflict: a.txt',
    ]);
    expect(h.remoteTip('uat')).not.toBe(uat);
    expect(h.remoteTip('dev')).toBe(dev);
  });

  test('GIVEN --json WHEN synced THEN one array with branch, outcome, before, after, conflicts and message per branch', async () => {
    const { h, dev } = remote();
    const r = await gitops('sync', '--repo', h.url, '--json', '--branches', 'dev');
    expect(r.code).toBe(3);
    expect(JSON.parse(r.out.join('\n'))).toEqual([
      {
        branch: 'dev',
        outcome: 'conflict',
        before: dev,
        after: dev,
        conflicts: ['a.txt'],
        message: 'rebasing dev onto main conflicts in a.txt; aborted, nothing pushed',
      },
    ]);
  });

  test('GIVEN --dry-run WHEN synced THEN it says what it would push and the remote is unchanged (exit 0)', async () => {
    const { h, uat } = remote();
    const r = await gitops('sync', '--repo', h.bareDir, '--branches', 'uat', '--dry-run');
    expect(r.code).toBe(0);
    expect(r.out[0]).toMatch(/^dry run, nothing pushed: uat onto main /);
    expect(r.out[1]).toMatch(/^uat: synced: would push uat [0-9a-f]{7} → [0-9a-f]{7} onto main [0-9a-f]{7} \(1 commit kept\)$/);
    expect(h.remoteTip('uat')).toBe(uat);
  });

  test('GIVEN uat synced once WHEN synced again THEN it is up to date (exit 0)', async () => {
    const { h } = remote();
    expect((await gitops('sync', '--repo', h.bareDir, '--branches', 'uat')).code).toBe(0);
    const again = await gitops('sync', '--repo', h.bareDir, '--branches', 'uat', '--json');
    expect(again.code).toBe(0);
    expect(JSON.parse(again.out[0])[0].outcome).toBe('up-to-date');
  });

  test('GIVEN a branch the remote lacks WHEN synced THEN exit 1 and the branch is an error', async () => {
    const { h } = remote();
    const r = await gitops('sync', '--repo', h.bareDir, '--branches', 'qa');
    expect(r.code).toBe(1);
    expect(r.out[1]).toMatch(/^qa: error: cannot fetch qa: /);
  });

  test.each<[string[], string]>([
    [[], 'gitops sync: --repo is required (a local path or an https://, http:// or file:// URL of the remote) (see gitops sync --help)'],
    [
      ['--repo', '/nonexistent/remote.git'],
      'gitops sync: --repo: repo "/nonexistent/remote.git" is neither a URL nor an existing path (allowed: https://, http://, file:// URLs or a local path) (see gitops sync --help)',
    ],
    [
      ['--repo', 'ssh://host/x.git'],
      'gitops sync: --repo: repo "ssh://host/x.git" uses ssh: (allowed: https://, http://, file://) (see gitops sync --help)',
    ],
    [
      ['--repo', '.', '--branches', 'uat,,dev'],
      'gitops sync: --branches: branch name is empty (allowed: comma-separated branch names other than the trunk, e.g. uat,dev) (see gitops sync --help)',
    ],
    [
      ['--repo', '.', '--branches', 'dev,main'],
      'gitops sync: --branches: main is the trunk; it is what the others are rebased onto (allowed: comma-separated branch names other than the trunk, e.g. uat,dev) (see gitops sync --help)',
    ],
    [
      ['--repo', '.', '--branches', 'dev;id'],
      'gitops sync: --branches: branch name "dev;id" contains ";" (shell metacharacters $;&|<>`\'"(){}! are refused) (allowed: comma-separated branch names other than the trunk, e.g. uat,dev) (see gitops sync --help)',
    ],
    [
      ['--repo', '.', '--trunk', 'ma..in'],
      'gitops sync: --trunk: branch name "ma..in" contains ".." (allowed: a branch name, e.g. main) (see gitops sync --help)',
    ],
    [['--repo', '.', '--force'], expect.stringMatching(/^gitops sync: Unknown option '--force'/) as unknown as string],
  ])('GIVEN %j WHEN run THEN exit 2 with one line naming the flag', async (argv, line) => {
    const r = await gitops('sync', ...argv);
    expect(r).toEqual({ code: 2, out: [], err: [line] });
  });

  test('GIVEN the installed command WHEN bin/gitops.mjs sync runs THEN it syncs and prints JSON (and --help works)', async () => {
    const { h } = remote();
    const run = promisify(execFile);
    const help = await run(process.execPath, [BIN, 'sync', '--help']);
    expect(help.stdout).toMatch(/^Usage: gitops sync \[options\]/);
    const synced = await run(process.execPath, [BIN, 'sync', '--repo', h.bareDir, '--branches', 'uat', '--json']);
    expect(JSON.parse(synced.stdout)[0]).toMatchObject({ branch: 'uat', outcome: 'synced' });
    await expect(run(process.execPath, [BIN, 'sync', '--repo', h.bareDir, '--branches', 'dev'])).rejects.toMatchObject({ code: 3 });
  }, 60_000);
});
