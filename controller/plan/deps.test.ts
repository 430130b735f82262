import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { probeSandbox } from '../process/sandbox.js';
import { DependencyCache, DependencyInstallError, lockfileHash, NPM_CI, type Installer } from './deps.js';
import { sandboxEnv, UNSANDBOXED } from './sandbox.js';
import { startFakeRegistry, type FakeRegistry } from '../../test/fixtures/npm-registry.js';
import { fakeInstallerScript, fixtureProject, startInstallWitness, type InstallWitness } from '../../test/fixtures/test-repo.js';

const probe = probeSandbox();
if (!probe.ok) console.warn(`sandboxed dependency install tests skipped: ${probe.reason}`);
const sandboxed = probe.ok ? describe : describe.skip;

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
    isolation: UNSANDBOXED,
    timeoutMs: 20_000,
  });
  return { deps, countFile };
}

describe('DependencyCache', () => {
  test('GIVEN the default installer WHEN inspected THEN it is npm ci of the production dependencies, with no lifecycle script, audit or fund call', () => {
    expect(NPM_CI).toEqual({ command: 'npm', args: ['ci', '--ignore-scripts', '--omit=dev', '--no-audit', '--no-fund'] });
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

  test.each(['package-lock.json', 'package.json'])(
    'GIVEN a work tree whose %s is a link to a host file WHEN linked THEN it is refused, and the controller never reads the host file',
    async (name) => {
      const { deps, countFile } = cache();
      const tree = workTree('a');
      rmSync(join(tree, name));
      symlinkSync('/etc/passwd', join(tree, name));
      await expect(deps.link(tree)).rejects.toThrow(
        `dependency install failed: ${join(tree, name)} is not a regular file (a link or a directory): plans need a committed ${name}`,
      );
      expect(installs(countFile)).toBe(0);
    },
  );

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

sandboxed('DependencyCache in the sandbox', () => {
  let witness: InstallWitness;
  beforeAll(async () => {
    witness = await startInstallWitness();
  });
  afterAll(() => witness.close());

  /** A cache whose installer runs in the real sandbox (the test's root made passable for the sandbox's uid). */
  function sandboxedCache(installer?: Installer) {
    chmodSync(root, 0o755);
    const countFile = join(root, 'installs.log');
    const deps = new DependencyCache({
      workDir: join(root, 'work'),
      installer: installer ?? fakeInstallerScript(root, countFile, { witness }),
      env: sandboxEnv({ home: join(root, 'home') }),
      isolation: { sandboxed: true, host: probe.ok ? probe.host : (undefined as never) },
      timeoutMs: 120_000,
    });
    return { deps, countFile };
  }

  test('GIVEN a work tree WHEN linked THEN the installer ran in the sandbox, and the entry belongs to the controller, is read-only and has its record beside it', async () => {
    const { deps, countFile } = sandboxedCache();
    const linked = await deps.link(workTree('a'));
    const seen = JSON.parse(readFileSync(join(linked.nodeModules, '.install-env.json'), 'utf8')) as Record<string, string>;
    expect(seen).toMatchObject({ HOME: '/home/sandbox', TMPDIR: '/tmp' });
    expect(seen.npm_config_cache).toMatch(new RegExp(`^${join(root, 'work', 'deps', '.staging-')}`));
    expect(installs(countFile)).toBe(1);
    const file = statSync(join(linked.nodeModules, 'fixture-dep', 'index.js'));
    expect([file.uid, file.mode & 0o777]).toEqual([process.getuid!(), 0o444]);
    expect(statSync(join(linked.nodeModules, 'fixture-dep')).mode & 0o777).toBe(0o555);
    expect(readdirSync(join(root, 'work', 'deps', linked.hash)).sort()).toEqual(['entry.json', 'node_modules']);
    expect(readdirSync(join(root, 'work', 'deps')).filter((f) => f.startsWith('.'))).toEqual([]);
  });

  test('GIVEN an entry changed after its install, size and mtime kept WHEN linked again THEN it is discarded and installed afresh', async () => {
    const { deps, countFile } = sandboxedCache();
    const linked = await deps.link(workTree('a'));
    const file = join(linked.nodeModules, 'fixture-dep', 'index.js');
    const before = statSync(file);
    const original = readFileSync(file, 'utf8');
    execFileSync('cp', ['-p', file, join(root, 'timestamps')]);
    chmodSync(file, 0o644);
    writeFileSync(file, `export default "x";${' '.repeat(original.length - 19)}`);
    chmodSync(file, 0o444);
    execFileSync('touch', ['-r', join(root, 'timestamps'), file]); // to the nanosecond
    expect(statSync(file)).toMatchObject({ size: before.size, mtimeMs: before.mtimeMs });

    const again = await deps.link(workTree('b'));

    expect(again).toMatchObject({
      installed: true,
      discarded: 'its content is not what the install recorded (files were changed, added or removed since)',
    });
    expect(readFileSync(file, 'utf8')).toBe(original);
    expect(installs(countFile)).toBe(2);
  });

  test('GIVEN an entry with no record of an install (left by an older controller, or planted) WHEN linked THEN it is discarded and installed afresh', async () => {
    const { deps } = sandboxedCache();
    const tree = workTree('a');
    const planted = join(root, 'work', 'deps', lockfileHash(readFileSync(join(tree, 'package-lock.json'))), 'node_modules', 'fixture-dep');
    mkdirSync(planted, { recursive: true });
    writeFileSync(join(planted, 'index.js'), 'export default "planted";');
    const linked = await deps.link(tree);
    expect(linked).toMatchObject({ installed: true, discarded: 'it has no record of an install by the controller' });
    expect(readFileSync(join(planted, 'index.js'), 'utf8')).toBe('export default "1.0.0";');
  });

  test('GIVEN an entry whose files were touched but not changed WHEN linked again THEN its content digest still matches and nothing is installed', async () => {
    const { deps, countFile } = sandboxedCache();
    const linked = await deps.link(workTree('a'));
    const file = join(linked.nodeModules, 'fixture-dep', 'index.js');
    chmodSync(file, 0o644);
    chmodSync(file, 0o444);
    await expect(deps.link(workTree('b'))).resolves.toMatchObject({ installed: false });
    expect(installs(countFile)).toBe(1);
  });

  test("GIVEN the machine's npm configuration naming a CA file and node headers, and the repository's .npmrc WHEN the install runs in the sandbox THEN it reads the CA file's copy, the headers and the repository's settings, and no token", async () => {
    // A stand-in npm: `config` is the real npm (reading this machine's configuration), `ci` records what it finds.
    // Its bin directory (ci.mjs beside it) is an input of its own, apart from the headers under test.
    const bin = join(root, 'tools', 'npm', 'bin');
    mkdirSync(bin, { recursive: true });
    writeFileSync(
      join(bin, 'ci.mjs'),
      `import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
const userconfig = readFileSync(process.env.npm_config_userconfig, 'utf8');
const setting = (name) => userconfig.match(new RegExp('^' + name + '=(.*)$', 'm'))?.[1];
const read = (file) => { try { return readFileSync(file, 'utf8'); } catch (e) { return e.code; } };
mkdirSync('node_modules/fixture-dep', { recursive: true });
writeFileSync('node_modules/fixture-dep/index.js', 'export default "1.0.0";');
writeFileSync('node_modules/.npm-seen.json', JSON.stringify({
  userconfig, ca: read(setting('cafile')), header: read(setting('nodedir') + '/include/node/node_version.h'), project: read('.npmrc'),
}));
`,
    );
    writeFileSync(
      join(bin, 'npm'),
      `#!/bin/sh\nif [ "$1" = config ]; then exec npm "$@"; fi\nexec ${process.execPath} ${join(bin, 'ci.mjs')}\n`,
    );
    chmodSync(join(bin, 'npm'), 0o755);
    writeFileSync(join(root, 'company-ca.pem'), '-----BEGIN CERTIFICATE-----\ncompany CA\n-----END CERTIFICATE-----\n');
    mkdirSync(join(root, 'node-headers', 'include', 'node'), { recursive: true });
    writeFileSync(join(root, 'node-headers', 'include', 'node', 'node_version.h'), '#define NODE_MAJOR_VERSION 20\n');
    const tree = workTree('npmrc');
    writeFileSync(join(tree, '.npmrc'), 'registry=https://mirror.example.com/npm/\n//mirror.example.com/:_authToken=npm_RepoSecret\n');
    const saved = { ...process.env };
    Object.assign(process.env, { npm_config_cafile: join(root, 'company-ca.pem'), npm_config_nodedir: join(root, 'node-headers') });
    let seen: { userconfig: string; ca: string; header: string; project: string };
    try {
      const { deps } = sandboxedCache({ command: join(bin, 'npm'), args: ['ci'], inputs: [bin] });
      const linked = await deps.link(tree);
      seen = JSON.parse(readFileSync(join(linked.nodeModules, '.npm-seen.json'), 'utf8')) as typeof seen;
    } finally {
      process.env = saved;
    }
    expect(seen.userconfig).toMatch(new RegExp(`^cafile=${join(root, 'work', 'deps', '.staging-')}[^/]+/\\.npm-ca\\.pem$`, 'm'));
    expect(seen.userconfig).toContain(`nodedir=${join(root, 'node-headers')}\n`);
    expect(seen.ca).toContain('company CA');
    expect(seen.header).toBe('#define NODE_MAJOR_VERSION 20\n');
    expect(seen.project).toBe('registry=https://mirror.example.com/npm/\n');
  }, 120_000);

  describe('with npm and a registry', () => {
    let registry: FakeRegistry;
    beforeEach(async () => {
      registry = await startFakeRegistry();
    });
    afterEach(() => registry.close());

    /** A work tree of the registry's project, with `npmrc` as its .npmrc. */
    function npmTree(npmrc?: string): string {
      const dir = join(root, 'trees', 'npm');
      mkdirSync(dir, { recursive: true });
      for (const [file, text] of Object.entries(registry.project)) writeFileSync(join(dir, file), text);
      if (npmrc !== undefined) writeFileSync(join(dir, '.npmrc'), npmrc);
      return dir;
    }

    test("GIVEN the repository's .npmrc with a registry, a token and _auth WHEN npm ci runs in the sandbox THEN it installs from that registry, and no credential reaches it", async () => {
      const host = registry.url.replace(/^http:/, '');
      const tree = npmTree(`registry=${registry.url}\n${host}:_authToken=npm_RepoSecretToken\n_auth=dXNlcjpwYXNz\nalways-auth=true\n`);
      const linked = await sandboxedCache(NPM_CI).deps.link(tree);
      expect(readFileSync(join(linked.nodeModules, 'fixture-dep', 'index.js'), 'utf8')).toBe('export default "1.0.0 from the registry";\n');
      expect(registry.requests).toContainEqual({ method: 'GET', url: '/fixture-dep/-/fixture-dep-1.0.0.tgz' });
      expect(registry.requests.filter((r) => r.authorization !== undefined)).toEqual([]);
    }, 120_000);

    test("GIVEN the machine's npm configuration naming the registry WHEN npm ci runs in the sandbox THEN it installs from that registry", async () => {
      const saved = process.env.npm_config_registry;
      process.env.npm_config_registry = registry.url;
      try {
        const linked = await sandboxedCache(NPM_CI).deps.link(npmTree());
        expect(readFileSync(join(linked.nodeModules, 'fixture-dep', 'index.js'), 'utf8')).toContain('from the registry');
      } finally {
        if (saved === undefined) delete process.env.npm_config_registry;
        else process.env.npm_config_registry = saved;
      }
      expect(registry.requests.map((r) => r.url)).toContain('/fixture-dep/-/fixture-dep-1.0.0.tgz');
    }, 120_000);
  });
});
