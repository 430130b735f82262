import { existsSync, lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DependencyCache, DependencyInstallError, lockfileHash, NPM_CI } from './deps.js';
import { sandboxEnv } from './sandbox.js';
import { fakeInstallerScript, fixtureProject } from '../../test/fixtures/test-repo.js';

let root: string;
beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), 'c2-deps-'));
});
afterEach(() => rmSync(root, { recursive: true, force: true }));

/** A work tree with the stand-in project's package.json and package-lock.json. */
function workTree(name: string, lockVersion = 1): string {
  const dir = join(root, 'trees', name);
  mkdirSync(dir, { recursive: true });
  for (const [file, text] of Object.entries(fixtureProject({}, lockVersion))) {
    if (file.startsWith('package')) writeFileSync(join(dir, file), text);
  }
  return dir;
}

const installs = (countFile: string): number => (existsSync(countFile) ? readFileSync(countFile, 'utf8').trim().split('\n').length : 0);

function cache(opts: { fail?: boolean; delayMs?: number } = {}) {
  const countFile = join(root, 'installs.log');
  const env = sandboxEnv({ home: join(root, 'home') });
  const deps = new DependencyCache({
    workDir: join(root, 'work'),
    installer: fakeInstallerScript(root, countFile, opts),
    env,
    timeoutMs: 20_000,
  });
  return { deps, countFile };
}

describe('DependencyCache', () => {
  test('GIVEN the default installer WHEN inspected THEN it is npm ci with scripts enabled and no audit or fund calls', () => {
    expect(NPM_CI).toEqual({ command: 'npm', args: ['ci', '--ignore-scripts=false', '--no-audit', '--no-fund'] });
  });

  test('GIVEN a work tree WHEN linked THEN node_modules is a symlink to <workDir>/deps/<sha256 of the lockfile>/node_modules', async () => {
    const { deps } = cache();
    const tree = workTree('a');
    const linked = await deps.link(tree);
    const hash = lockfileHash(readFileSync(join(tree, 'package-lock.json')));
    expect(linked).toEqual({ hash, nodeModules: join(root, 'work', 'deps', hash, 'node_modules'), installed: true });
    expect(lstatSync(join(tree, 'node_modules')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(tree, 'node_modules'))).toBe(linked.nodeModules);
    expect(readFileSync(join(tree, 'node_modules', 'fixture-dep', 'index.js'), 'utf8')).toBe('export default "1.0.0";');
  });

  test('GIVEN two work trees with the same lockfile linked at once WHEN linked THEN the installer runs once', async () => {
    const { deps, countFile } = cache({ delayMs: 300 });
    const [a, b] = await Promise.all([deps.link(workTree('a')), deps.link(workTree('b'))]);
    expect(a.hash).toBe(b.hash);
    expect(installs(countFile)).toBe(1);
    const again = await deps.link(workTree('c'));
    expect(again.installed).toBe(false);
    expect(installs(countFile)).toBe(1);
  });

  test('GIVEN a work tree with a different lockfile WHEN linked THEN it gets its own install and cache entry', async () => {
    const { deps, countFile } = cache();
    const a = await deps.link(workTree('a', 1));
    const b = await deps.link(workTree('b', 2));
    expect(a.hash).not.toBe(b.hash);
    expect(installs(countFile)).toBe(2);
    expect(readFileSync(join(b.nodeModules, 'fixture-dep', 'index.js'), 'utf8')).toBe('export default "2.0.0";');
    expect(readdirSync(join(root, 'work', 'deps')).sort()).toEqual([a.hash, b.hash].sort());
  });

  test('GIVEN a package.json with lifecycle scripts WHEN installed THEN the root scripts are dropped (they are not in the cache key)', async () => {
    const { deps } = cache();
    const linked = await deps.link(workTree('a'));
    expect(JSON.parse(readFileSync(join(linked.nodeModules, '.root-scripts.json'), 'utf8'))).toBeNull();
  });

  test('GIVEN secrets in the controller environment WHEN the installer runs THEN it sees none of them', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, { GITHUB_TOKEN: 'ghs_x', PRIVATE_KEY: 'pem', AWS_SECRET_ACCESS_KEY: 'aws', TF_VAR_password: 'pw' });
    try {
      const { deps } = cache();
      const linked = await deps.link(workTree('a'));
      const seen = JSON.parse(readFileSync(join(linked.nodeModules, '.install-env.json'), 'utf8')) as Record<string, string>;
      expect(Object.keys(seen).filter((k) => /GITHUB|PRIVATE|AWS|TF_VAR/.test(k))).toEqual([]);
      expect(seen.HOME).toBe(join(root, 'home'));
    } finally {
      process.env = saved;
    }
  });

  test('GIVEN a failing installer WHEN linked THEN it throws the last line of its output and caches nothing', async () => {
    const { deps } = cache({ fail: true });
    const error = await deps.link(workTree('a')).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DependencyInstallError);
    expect((error as DependencyInstallError).reason).toMatch(
      / exited with 1: npm ERR! 404 Not Found - GET https:\/\/registry.example\/fixture-dep$/,
    );
    expect(readdirSync(join(root, 'work', 'deps'))).toEqual([]);
    expect(existsSync(join(root, 'trees', 'a', 'node_modules'))).toBe(false);
  });

  test('GIVEN a work tree without package-lock.json WHEN linked THEN it says a lockfile is needed', async () => {
    const { deps } = cache();
    const tree = workTree('a');
    rmSync(join(tree, 'package-lock.json'));
    await expect(deps.link(tree)).rejects.toThrow(
      `dependency install failed: ${join(tree, 'package-lock.json')} does not exist: plans need a committed package-lock.json`,
    );
  });

  test('GIVEN a work tree that already has node_modules WHEN linked THEN it is refused', async () => {
    const { deps } = cache();
    const tree = workTree('a');
    mkdirSync(join(tree, 'node_modules'));
    await expect(deps.link(tree)).rejects.toThrow(/node_modules already exists in the work tree \(node_modules must not be committed\)/);
  });

  test('GIVEN an aborted signal while another job installs WHEN linking THEN this job rejects and the install still completes for the other', async () => {
    const { deps, countFile } = cache({ delayMs: 500 });
    const controller = new AbortController();
    const waiting = deps.link(workTree('a'), controller.signal);
    const other = deps.link(workTree('b'));
    controller.abort(new Error('superseded'));
    await expect(waiting).rejects.toThrow('superseded');
    await expect(other).resolves.toMatchObject({ installed: true });
    expect(installs(countFile)).toBe(1);
  });
});
