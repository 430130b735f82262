// `npm run synth` (gitops synth: bundled, fast resolver, no preparing pass) and cdktf synth with cdktf's own
// machinery must produce the same stacks.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readHeadSha } from './synth.js';

const env = {
  ...process.env,
  GITOPS_COMMIT_SHA: 'abcdef0123456789abcdef0123456789abcdef01',
  GITOPS_VERSION: '9.9.9',
  CHECKPOINT_DISABLE: '1',
};
delete (env as Record<string, string | undefined>).NODE_OPTIONS; // jest's --experimental-vm-modules is not for the children

function stacksOf(outdir: string): Map<string, string> {
  const root = join(outdir, 'stacks');
  return new Map(readdirSync(root).map((s) => [s, readFileSync(join(root, s, 'cdk.tf.json'), 'utf8')]));
}

describe('fast synth', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'gitops-synth-eq-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  test('GIVEN the app WHEN synthesized by gitops synth and by cdktf synth THEN every stack JSON is identical', () => {
    const fast = join(tmp, 'fast');
    const cli = join(tmp, 'cli');
    execFileSync('node', ['bin/gitops.mjs', 'synth', '--out', fast], { env, stdio: 'pipe' });
    // The reference is cdktf as shipped: its own resolver, its preparing pass, token creation stacks.
    const upstream = { ...env, GITOPS_FAST_RESOLVE: '0', GITOPS_PREPARE_STACKS: '1', GITOPS_STACK_TRACES: '1' };
    execFileSync('npx', ['cdktf', 'synth', '--output', cli], { env: upstream, stdio: 'pipe', timeout: 180_000 });
    const a = stacksOf(fast);
    const b = stacksOf(cli);
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort());
    expect(a.size).toBeGreaterThanOrEqual(3);
    for (const [name, json] of a) expect({ name, json }).toEqual({ name, json: b.get(name) });
    expect(a.get('release-prod')).toContain('abcdef0123456789abcdef0123456789abcdef01');
  }, 240_000);
});

describe('readHeadSha', () => {
  test('GIVEN this checkout WHEN HEAD is read from the git files THEN it equals git rev-parse HEAD', () => {
    expect(readHeadSha()).toBe(execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8' }).trim());
  });

  test('GIVEN a linked work tree on a detached commit and a branch with packed refs WHEN read THEN both resolve', () => {
    const repo = mkdtempSync(join(tmpdir(), 'gitops-head-'));
    const git = (...args: string[]) => execFileSync('git', ['-C', repo, ...args], { encoding: 'utf8' }).trim();
    git('init', '-q', '-b', 'main');
    git('-c', 'user.email=a@b', '-c', 'user.name=a', 'commit', '-q', '--allow-empty', '-m', 'one');
    const sha = git('rev-parse', 'HEAD');
    git('pack-refs', '--all');
    expect(readHeadSha(repo)).toBe(sha);
    git('worktree', 'add', '-q', '--detach', join(repo, 'wt'), sha);
    expect(readHeadSha(join(repo, 'wt'))).toBe(sha);
    expect(readHeadSha(tmpdir())).toBeUndefined();
    rmSync(repo, { recursive: true, force: true });
  });
});
