import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { main } from '../cli.js';

const ENV_DIR = fileURLToPath(new URL('../../environments', import.meta.url));
const PAIRS = 'Allowed pairs: feature/* → dev, release/* → uat, release/* → main, hotfix/* → main, feature/* → release/*.';

async function gitops(...argv: string[]): Promise<{ code: number; out: string[]; err: string[] }> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await main(argv, { out: (l) => out.push(l), err: (l) => err.push(l) });
  return { code, out, err };
}

describe('gitops check-branch', () => {
  test('GIVEN feature/login → dev WHEN checked THEN exit 0 and the verdict says it deploys dev', async () => {
    const r = await gitops('check-branch', '--head', 'feature/login', '--base', 'dev', '--dir', ENV_DIR);
    expect(r).toEqual({
      code: 0,
      out: ['allowed (deploy dev): feature/login → dev is allowed (feature/* → dev, release.accepts of dev): merging deploys dev.'],
      err: [],
    });
  });

  test('GIVEN feature/login → release/r1 with --json WHEN checked THEN exactly allowed, environment and reason are printed', async () => {
    const r = await gitops('check-branch', '--head', 'feature/login', '--base', 'release/r1', '--dir', ENV_DIR, '--json');
    expect(r.code).toBe(0);
    expect(r.out).toHaveLength(1);
    expect(Object.keys(JSON.parse(r.out[0]))).toEqual(['allowed', 'environment', 'reason']);
    expect(JSON.parse(r.out[0])).toMatchObject({
      allowed: true,
      environment: 'uat',
      reason: expect.stringContaining('plans uat and applies nothing'),
    });
  });

  test('GIVEN feature/login → main with --json WHEN checked THEN exit 1, environment null and the reason lists the allowed pairs', async () => {
    const r = await gitops('check-branch', '--head', 'feature/login', '--base', 'main', '--dir', ENV_DIR, '--json');
    expect(r.code).toBe(1);
    expect(r.out).toEqual([
      JSON.stringify({
        allowed: false,
        environment: null,
        reason: `feature/login → main is not allowed: main (environment prod) accepts release/*, hotfix/* only. ${PAIRS}`,
      }),
    ]);
  });

  test.each([
    ['feature/$(id)', /^denied: head branch name "feature\/\$\(id\)" contains "\$"/],
    ['-rf', /^denied: head branch name "-rf" starts with "-"/],
    ['feature/a..b', /^denied: head branch name "feature\/a\.\.b" contains "\.\."/],
    ['feature/', /^denied: head branch name "feature\/" ends with "\/"/],
  ])('GIVEN the invalid head name %p WHEN checked THEN it is a denial (exit 1) naming the name', async (head, expected) => {
    const r = await gitops('check-branch', `--head=${head}`, '--base', 'dev', '--dir', ENV_DIR);
    expect(r.code).toBe(1);
    expect(r.out[0]).toMatch(expected);
    expect(r.out[0].endsWith(PAIRS)).toBe(true);
  });

  test.each<[string[], string]>([
    [
      ['--base', 'dev'],
      "gitops check-branch: --head is required (the pull request's head branch, e.g. feature/login) (see gitops check-branch --help)",
    ],
    [
      ['--head', 'feature/a'],
      "gitops check-branch: --base is required (the pull request's base branch, e.g. dev) (see gitops check-branch --help)",
    ],
    [['--head', '', '--base', 'dev'], 'gitops check-branch: --head needs a value (see gitops check-branch --help)'],
    [
      ['--head', 'feature/a', '--base', 'dev', '--env', 'prod'],
      expect.stringMatching(/^gitops check-branch: Unknown option '--env'/) as unknown as string,
    ],
    [
      ['--head', 'feature/a', '--base'],
      expect.stringMatching(/^gitops check-branch: Option '--base <value>' argument missing/) as unknown as string,
    ],
  ])('GIVEN the arguments %p WHEN run THEN it is a usage error (exit 2) on stderr', async (args, message) => {
    const r = await gitops('check-branch', ...args);
    expect(r).toEqual({ code: 2, out: [], err: [message] });
  });

  test('GIVEN a directory that does not exist WHEN checked THEN exit 1 and the problem names the directory', async () => {
    const r = await gitops('check-branch', '--head', 'feature/a', '--base', 'dev', '--dir', '/nonexistent-envs');
    expect(r).toEqual({ code: 1, out: [], err: ['/nonexistent-envs: is not a directory of environment files (set --dir)'] });
  });

  test('GIVEN an invalid environment file WHEN checked THEN exit 1, every problem on stderr and no verdict', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gitops-envs-'));
    try {
      cpSync(ENV_DIR, dir, { recursive: true, filter: (src) => !src.endsWith('.ts') });
      const prod = readFileSync(join(dir, 'prod.yaml'), 'utf8');
      writeFileSync(join(dir, 'prod.yaml'), prod.replace("accepts: ['release/*']", "accepts: ['release/$(id)']"));
      const r = await gitops('check-branch', '--head', 'release/1', '--base', 'main', '--dir', dir);
      expect(r.code).toBe(1);
      expect(r.out).toEqual([]);
      expect(r.err).toEqual([
        expect.stringMatching(
          /^prod\.yaml:\d+: release\.accepts\.0: must be a branch name or a prefix glob such as feature\/\* \(got "release\/\$\(id\)"\)$/,
        ),
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('GIVEN --help WHEN run THEN the usage lists the flags and the exit statuses; gitops --help lists the command', async () => {
    const help = await gitops('check-branch', '--help');
    expect(help.code).toBe(0);
    expect(help.out[0]).toContain('--head BRANCH');
    expect(help.out[0]).toContain(
      'Exit status: 0 allowed, 1 denied (an invalid branch name is a denial) or invalid environment files, 2 usage error.',
    );
    expect((await gitops('--help')).out[0]).toMatch(/\n {2}check-branch +check a pull request pair/);
  });
});
