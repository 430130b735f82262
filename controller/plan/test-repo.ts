// Test helpers: a real git remote (bare repository served over file://) and a tiny stand-in
// project whose `bin/gitops.mjs synth` writes the stacks listed in its stacks.json.
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';

const GIT_ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: 'Test',
  GIT_AUTHOR_EMAIL: 'test@example.com',
  GIT_COMMITTER_NAME: 'Test',
  GIT_COMMITTER_EMAIL: 'test@example.com',
  GIT_CONFIG_NOSYSTEM: '1',
};

export function git(cwd: string, ...args: string[]): string {
  return execFileSync('git', args, { cwd, env: GIT_ENV, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();
}

export interface TestRemote {
  /** file:// URL of the bare repository. */
  readonly url: string;
  readonly bareDir: string;
  /** Writes (or with null deletes) files, commits them on `branch` and pushes; returns the commit SHA. */
  commit(files: Readonly<Record<string, string | null>>, message?: string, branch?: string): string;
}

export function createTestRemote(root: string): TestRemote {
  const bareDir = join(root, 'remote.git');
  const srcDir = join(root, 'src');
  mkdirSync(srcDir, { recursive: true });
  git(root, 'init', '--quiet', '--bare', '--initial-branch=main', bareDir);
  git(root, 'clone', '--quiet', bareDir, srcDir);
  let count = 0;
  return {
    url: pathToFileURL(bareDir).href,
    bareDir,
    commit(files, message = `commit ${++count}`, branch = 'main') {
      git(srcDir, 'checkout', '--quiet', '-B', branch);
      for (const [path, text] of Object.entries(files)) {
        const file = join(srcDir, path);
        if (text === null) rmSync(file, { force: true });
        else {
          mkdirSync(dirname(file), { recursive: true });
          writeFileSync(file, text);
        }
      }
      git(srcDir, 'add', '--all');
      git(srcDir, 'commit', '--quiet', '--allow-empty', '-m', message);
      git(srcDir, 'push', '--quiet', '--force', 'origin', branch);
      return git(srcDir, 'rev-parse', 'HEAD');
    },
  };
}

/** `bin/gitops.mjs` of the stand-in project: dumps its environment and arguments beside the output, imports a dependency, writes stacks.json's stacks. */
const FIXTURE_CLI = `
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import dep from 'fixture-dep';
const args = process.argv.slice(2);
const flag = (n) => { const i = args.indexOf('--' + n); return i < 0 ? undefined : args[i + 1]; };
const env = flag('env');
const out = flag('out');
mkdirSync(out, { recursive: true });
writeFileSync(join(out, 'env.json'), JSON.stringify(process.env));
writeFileSync(join(out, 'argv.json'), JSON.stringify(args));
const spec = JSON.parse(readFileSync('stacks.json', 'utf8'));
if (spec.sleepMs) await new Promise((r) => setTimeout(r, spec.sleepMs));
if (spec.fail) { console.error('gitops synth: ' + spec.fail); process.exit(1); }
const stacks = spec.environments[env];
if (!stacks) { console.error('gitops synth: unknown environment ' + env); process.exit(1); }
for (const [name, doc] of Object.entries(stacks)) {
  mkdirSync(join(out, 'stacks', name), { recursive: true });
  const text = JSON.stringify(doc).replaceAll('@COMMIT@', process.env.GITOPS_COMMIT_SHA).replaceAll('@DEP@', dep);
  writeFileSync(join(out, 'stacks', name, 'cdk.tf.json'), text);
}
console.log('synthesized ' + Object.keys(stacks).length + ' stacks');
`;

export interface FixtureSpec {
  /** Stacks per environment; `@COMMIT@` becomes GITOPS_COMMIT_SHA, `@DEP@` the value exported by the fixture-dep package. */
  readonly environments?: Readonly<Record<string, Readonly<Record<string, unknown>>>>;
  /** Synth prints `gitops synth: <fail>` and exits 1. */
  readonly fail?: string;
  readonly sleepMs?: number;
}

/** The files of the stand-in project; `lockVersion` changes the lockfile (and so the dependency cache key). */
export function fixtureProject(spec: FixtureSpec, lockVersion = 1): Record<string, string> {
  const pkg = { name: 'fixture', version: '1.0.0', type: 'module', dependencies: { 'fixture-dep': `${lockVersion}.0.0` } };
  const lock = {
    name: 'fixture',
    version: '1.0.0',
    lockfileVersion: 3,
    requires: true,
    packages: { '': pkg, 'node_modules/fixture-dep': { version: `${lockVersion}.0.0` } },
  };
  return {
    'package.json': JSON.stringify({ ...pkg, scripts: { postinstall: 'echo root-script-ran > root-script.txt' } }, null, 2),
    'package-lock.json': JSON.stringify(lock, null, 2),
    'bin/gitops.mjs': FIXTURE_CLI,
    'stacks.json': JSON.stringify({ environments: {}, ...spec }, null, 2),
  };
}

/**
 * A stand-in for `npm ci`: writes node_modules/fixture-dep (exporting the lockfile's version), records its
 * environment in node_modules/.install-env.json and appends a line to `countFile` per run.
 */
export function fakeInstallerScript(
  dir: string,
  countFile: string,
  opts: { fail?: boolean; delayMs?: number } = {},
): { command: string; args: string[] } {
  const script = join(dir, 'fake-npm-ci.mjs');
  writeFileSync(
    script,
    `
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
appendFileSync(${JSON.stringify(countFile)}, process.cwd() + '\\n');
${opts.delayMs ? `await new Promise((r) => setTimeout(r, ${opts.delayMs}));` : ''}
${opts.fail ? "console.error('npm ERR! 404 Not Found - GET https://registry.example/fixture-dep'); process.exit(1);" : ''}
const lock = JSON.parse(readFileSync('package-lock.json', 'utf8'));
const pkg = JSON.parse(readFileSync('package.json', 'utf8'));
mkdirSync('node_modules/fixture-dep', { recursive: true });
writeFileSync('node_modules/fixture-dep/package.json', JSON.stringify({ name: 'fixture-dep', type: 'module', main: 'index.js' }));
writeFileSync('node_modules/fixture-dep/index.js', 'export default ' + JSON.stringify(lock.packages['node_modules/fixture-dep'].version) + ';');
writeFileSync('node_modules/.install-env.json', JSON.stringify(process.env));
writeFileSync('node_modules/.root-scripts.json', JSON.stringify(pkg.scripts ?? null));
`,
  );
  return { command: process.execPath, args: [script] };
}
