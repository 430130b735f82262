// The gitops CLI, driven through main() with a capturing Io (no subprocess), on copies of the real files.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main } from './cli.js';

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gitops-envs-'));
  cpSync('environments', dir, { recursive: true, filter: (src) => !/\.ts$/.test(src) });
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('gitops validate', () => {
  test('GIVEN the shipped environment files WHEN validated THEN exit 0', async () => {
    const c = capture();
    expect(await main(['validate', '--dir', dir], c.io)).toBe(0);
    expect(c.out.join('\n')).toContain('3 environment files valid');
  });

  test('GIVEN prod.yaml with branch "" and an unknown key WHEN validated THEN both problems are printed naming prod.yaml and exit 1', async () => {
    const file = join(dir, 'prod.yaml');
    writeFileSync(file, readFileSync(file, 'utf8').replace('branch: main', 'branch: ""') + 'colour: blue\n');
    const c = capture();
    expect(await main(['validate', '--dir', dir], c.io)).toBe(1);
    const problems = c.err.filter((l) => l.startsWith('prod.yaml'));
    expect(problems).toHaveLength(2);
    expect(problems.find((l) => l.includes(': branch: '))).toMatch(/^prod\.yaml:\d+: branch: .*\(got ""\)$/);
    expect(problems.find((l) => l.includes('colour'))).toMatch(/^prod\.yaml:\d+: unknown key "colour" \(allowed: name, branch, tier, /);
  });

  test('GIVEN a malformed YAML file WHEN validated THEN the problem names the file and line', async () => {
    writeFileSync(join(dir, 'uat.yaml'), 'name: uat\nbranch: uat\ntags: { environment: uat\n');
    const c = capture();
    expect(await main(['validate', '--dir', dir], c.io)).toBe(1);
    expect(c.err.find((l) => l.startsWith('uat.yaml'))).toMatch(/^uat\.yaml:[34]: YAML syntax error: /);
  });

  test('GIVEN problems in several files and across files WHEN validated THEN every problem is printed at once', async () => {
    const dev = join(dir, 'dev.yaml');
    writeFileSync(
      dev,
      readFileSync(dev, 'utf8').replace('cidr: 10.10.0.0/16', 'cidr: 10.30.0.0/16').replace('tier: development', 'tier: dev'),
    );
    const prod = join(dir, 'prod.yaml');
    writeFileSync(prod, readFileSync(prod, 'utf8').replace('requiredApprovals: 1', 'requiredApprovals: 0'));
    const c = capture();
    expect(await main(['validate', '--dir', dir], c.io)).toBe(1);
    const text = c.err.join('\n');
    expect(text).toMatch(/dev\.yaml:\d+: tier: must be one of "development", "staging", "production" \(got "dev"\)/);
    expect(text).toMatch(/prod\.yaml: release\.requiredApprovals: a production environment needs at least 1 approval \(got 0\)/);
    expect(c.err.at(-1)).toMatch(/^2 problems in /);
  });

  test('GIVEN overlapping networks across environments WHEN validated THEN the overlap names both files', async () => {
    const uat = join(dir, 'uat.yaml');
    writeFileSync(uat, readFileSync(uat, 'utf8').replace('cidr: 10.20.0.0/16', 'cidr: 10.10.0.0/16'));
    const c = capture();
    expect(await main(['validate', '--dir', dir], c.io)).toBe(1);
    expect(c.err.join('\n')).toMatch(
      /uat\.yaml: regions\.primary\.cidr: 10\.10\.0\.0\/16 overlaps 10\.10\.0\.0\/16 \(dev\.yaml regions\.primary\.cidr\)/,
    );
  });

  test('GIVEN a directory that does not exist WHEN validated THEN one line names it and the flag', async () => {
    const c = capture();
    expect(await main(['validate', '--dir', join(dir, 'missing')], c.io)).toBe(1);
    expect(c.err).toEqual([`${join(dir, 'missing')}: is not a directory of environment files (set --dir)`]);
  });
});

describe('gitops usage', () => {
  test('GIVEN no command WHEN run THEN the help is printed to stderr and exit 2', async () => {
    const c = capture();
    expect(await main([], c.io)).toBe(2);
    expect(c.err.join('\n')).toContain('Usage: gitops <command>');
  });

  test('GIVEN an unknown command or flag WHEN run THEN one line and exit 2', async () => {
    const c = capture();
    expect(await main(['deploy'], c.io)).toBe(2);
    expect(await main(['synth', '--bogus'], c.io)).toBe(2);
    expect(await main(['validate', '--dir'], c.io)).toBe(2);
    expect(c.err).toHaveLength(3);
    expect(c.err[0]).toMatch(/^gitops: unknown command "deploy" \(allowed: validate, synth, stacks, plan, apply/);
    expect(c.err[1]).toBe(
      "gitops synth: Unknown option '--bogus'. To specify a positional argument to 'gitops synth' use '--' (see gitops synth --help)"
        .replace(" To specify a positional argument to 'gitops synth' use '--'", '')
        .replace("'--bogus'.", "'--bogus'"),
    );
    expect(c.err[2]).toMatch(/^gitops validate: .*--dir.* \(see gitops validate --help\)$/);
  });

  test('GIVEN --help on each command WHEN run THEN its usage is printed and exit 0', async () => {
    for (const name of ['validate', 'synth', 'stacks', 'plan', 'apply']) {
      const c = capture();
      expect(await main([name, '--help'], c.io)).toBe(0);
      expect(c.out[0].split('\n')[0]).toBe(`Usage: gitops ${name} [options]`);
    }
  });

  test('GIVEN an unknown environment or stack WHEN listed or planned THEN exit 2 with the allowed values', async () => {
    const c = capture();
    expect(await main(['stacks', '--env', 'staging', '--dir', dir], c.io)).toBe(2);
    expect(await main(['plan', '--stack', 'nope', '--dir', dir], c.io)).toBe(2);
    expect(await main(['plan', '--dir', dir], c.io)).toBe(2);
    expect(c.err[0]).toBe('gitops stacks: unknown environment "staging" (allowed: dev, prod, uat) (see gitops stacks --help)');
    expect(c.err[1]).toMatch(/^gitops plan: unknown stack "nope" \(allowed: .*release-dev.*\)/);
    expect(c.err[2]).toMatch(/^gitops plan: --stack is required/);
  });
});

describe('gitops synth flags', () => {
  test('GIVEN the removed --jobs flag or an unknown environment in --env WHEN synthesized THEN exit 2 naming the flag and the allowed values', async () => {
    const c = capture();
    expect(await main(['synth', '--jobs', '0', '--dir', dir], c.io)).toBe(2);
    expect(await main(['synth', '--env', 'dev,staging', '--dir', dir], c.io)).toBe(2);
    expect(c.err).toEqual([
      "gitops synth: Unknown option '--jobs' (see gitops synth --help)",
      'gitops synth: unknown environment "staging" (allowed: dev, prod, uat) (see gitops synth --help)',
    ]);
  });
});

describe('gitops stacks', () => {
  test('GIVEN the shipped environments WHEN listed as JSON THEN each environment has its release stack', async () => {
    const c = capture();
    expect(await main(['stacks', '--json', '--dir', dir], c.io)).toBe(0);
    const rows = JSON.parse(c.out.join('\n')) as { stack: string; system: string; env: string; resources: number }[];
    for (const env of ['dev', 'uat', 'prod']) {
      expect(rows).toContainEqual({
        stack: `release-${env}`,
        system: 'release',
        env,
        branch: env === 'prod' ? 'main' : env,
        region: 'builtin',
        resources: 1,
      });
    }
  });
});
