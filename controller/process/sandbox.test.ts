// The sandbox for real: bubblewrap, node inside it, a controller process holding a secret, and files it must not reach.
import { spawn } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { createServer, type Server } from 'node:net';
import { networkInterfaces, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import Database from 'better-sqlite3';
import { SANDBOX_UID, type SandboxHost, type SandboxSpec } from './bubblewrap.js';
import { inputsForProgram, prepareOutputDir, probeSandbox, runInSandbox, sandboxDecision } from './sandbox.js';

const probe = probeSandbox();
const NODE = realpathSync(process.execPath);
const ENV = { PATH: '/usr/local/bin:/usr/bin:/bin', CI: '1' };
const repoRoot = realpathSync(new URL('../..', import.meta.url).pathname);
if (!probe.ok) console.warn(`sandbox tests skipped: ${probe.reason}`);
const sandboxed = probe.ok ? describe : describe.skip;
/** The probed host (only called in tests that run when the probe succeeded). */
function host(): SandboxHost {
  if (!probe.ok) throw new Error(probe.reason);
  return probe.host;
}

describe('probeSandbox', () => {
  test('GIVEN a PATH without bwrap WHEN probed THEN no sandbox, and the reason names the package', () => {
    expect(probeSandbox('/nonexistent')).toEqual({
      ok: false,
      reason: 'bubblewrap is not installed (no bwrap on PATH; Debian package bubblewrap)',
    });
  });
});

describe('sandboxDecision', () => {
  const noSandbox = { ok: false as const, reason: 'bubblewrap is not installed' };
  const host = { bwrap: '/usr/bin/bwrap', setpriv: '/usr/bin/setpriv', prlimit: '/usr/bin/prlimit', root: true };

  test.each([
    [{ ok: true as const, host }, {}, { run: true, sandboxed: true, reason: 'pull request code runs in a bubblewrap sandbox' }],
    [
      { ok: true as const, host },
      { GITOPS_UNSAFE_SANDBOX: '1' },
      { run: true, sandboxed: true, reason: 'pull request code runs in a bubblewrap sandbox' },
    ],
    [
      noSandbox,
      {},
      {
        run: false,
        sandboxed: false,
        reason:
          'pull request code is not run: no sandbox can be made here (bubblewrap is not installed); an operator may set GITOPS_UNSAFE_SANDBOX=1 to run it without one',
      },
    ],
    [noSandbox, { GITOPS_UNSAFE_SANDBOX: '0' }, expect.objectContaining({ run: false })],
    [
      noSandbox,
      { GITOPS_UNSAFE_SANDBOX: '1' },
      {
        run: true,
        sandboxed: false,
        reason: 'pull request code runs WITHOUT a sandbox (GITOPS_UNSAFE_SANDBOX=1): bubblewrap is not installed',
      },
    ],
  ])('GIVEN probe %j and %j WHEN decided THEN %j', (p, env, expected) => {
    expect(sandboxDecision(p, env)).toEqual(expected);
  });

  test('GIVEN GITOPS_UNSAFE_SANDBOX=yes WHEN decided THEN it throws naming the variable and its values', () => {
    expect(() => sandboxDecision(noSandbox, { GITOPS_UNSAFE_SANDBOX: 'yes' })).toThrow(
      'GITOPS_UNSAFE_SANDBOX must be 1 (run pull request code without a sandbox) or 0 / unset, not "yes"',
    );
  });
});

/** A job's layout on the host: the work tree (read-only input), the shared dependency cache (read-only), the output. */
function jobLayout(root: string) {
  chmodSync(root, 0o755); // mkdtemp makes 0700: the sandbox's uid must be able to pass through
  const tree = join(root, 'jobs', '7', 'tree');
  const cache = join(root, 'deps', 'abc123', 'node_modules');
  mkdirSync(join(cache, 'left-pad'), { recursive: true });
  mkdirSync(tree, { recursive: true });
  const out = prepareOutputDir(join(root, 'jobs', '7', 'out'), host());
  writeFileSync(join(cache, 'left-pad', 'index.js'), 'module.exports = (s, n) => String(s).padStart(n);');
  writeFileSync(join(tree, 'input.json'), JSON.stringify({ numbers: [1, 2, 3, 4] }));
  return { tree, cache, out };
}

sandboxed('a sandboxed node process', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'gitops-sandbox-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  test('GIVEN inputs and an output WHEN node reads the inputs and writes the output THEN the result is on the host, written by nobody', async () => {
    const { tree, cache, out } = jobLayout(root);
    const script = `const pad = require(${JSON.stringify(join(cache, 'left-pad'))});
      const { numbers } = JSON.parse(require('fs').readFileSync('input.json', 'utf8'));
      require('fs').writeFileSync(${JSON.stringify(join(out, 'sum.txt'))}, pad(numbers.reduce((a, b) => a + b), 5));
      console.log('uid', process.getuid(), 'home', process.env.HOME, 'cwd', process.cwd());`;
    const spec: SandboxSpec = {
      command: NODE,
      args: ['-e', script],
      cwd: tree,
      inputs: [tree, cache, ...inputsForProgram(NODE)],
      output: out,
      env: ENV,
    };
    const result = await runInSandbox(spec, host(), { timeoutMs: 30_000 });
    expect(result).toMatchObject({ exitCode: 0, log: `uid 65534 home /home/sandbox cwd ${tree}\n` });
    expect(readFileSync(join(out, 'sum.txt'), 'utf8')).toBe('   10');
    if (process.getuid?.() === 0) expect(statSync(join(out, 'sum.txt')).uid).toBe(SANDBOX_UID);
  });

  test('GIVEN a sandbox that runs too long WHEN the timeout passes THEN the whole sandbox is stopped', async () => {
    const { out } = jobLayout(root);
    const spec: SandboxSpec = {
      command: NODE,
      args: ['-e', 'setInterval(() => {}, 1000)'],
      cwd: out,
      inputs: inputsForProgram(NODE),
      output: out,
      env: ENV,
    };
    const result = await runInSandbox(spec, host(), { timeoutMs: 1000, killGraceMs: 500 });
    expect(result.timedOut).toBe(true);
    expect(result.durationMs).toBeLessThan(4000);
  });

  test("GIVEN a program in a temporary directory, called through a symlink WHEN it reads the files around it THEN it runs, but sees neither its neighbours nor its parent directory's", async () => {
    const { out } = jobLayout(root);
    const program = join(root, 'tools', 'bin', 'reader');
    const around = [
      join(root, 'tools', 'bin', 'beside-the-program'),
      join(root, 'tools', 'beside-its-directory'),
      join(root, 'jobs', 'other-job'),
    ];
    mkdirSync(dirname(program), { recursive: true });
    for (const file of around) writeFileSync(file, 'another job’s file\n', { mode: 0o644 });
    writeFileSync(program, '#!/bin/sh\necho ran\nfor f in "$@"; do cat "$f" 2>/dev/null || echo "cannot read $f"; done\n', { mode: 0o755 });
    const link = join(root, 'links', 'reader');
    mkdirSync(dirname(link));
    symlinkSync(program, link);
    chmodSync(join(root, 'tools'), 0o755);
    expect(inputsForProgram(link)).toEqual([program, link]);
    const spec: SandboxSpec = { command: link, args: around, cwd: out, inputs: inputsForProgram(link), output: out, env: ENV };
    const result = await runInSandbox(spec, host(), { timeoutMs: 10_000 });
    expect(result).toMatchObject({ exitCode: 0, log: ['ran', ...around.map((f) => `cannot read ${f}`), ''].join('\n') });
  });

  test('GIVEN a script of a node package (npm-cli.js) WHEN its inputs are asked THEN they are the package it loads, scoped or not', () => {
    for (const pkg of ['lib/node_modules/npm', 'lib/node_modules/@scope/tool']) {
      mkdirSync(join(root, pkg, 'bin'), { recursive: true });
      writeFileSync(join(root, pkg, 'bin', 'cli.js'), '', { mode: 0o755 });
      expect(inputsForProgram(join(root, pkg, 'bin', 'cli.js'))).toEqual([join(realpathSync(root), pkg)]);
    }
  });

  test('GIVEN an input that does not exist WHEN run THEN bubblewrap fails and the log names the path', async () => {
    const { out } = jobLayout(root);
    const missing = join(root, 'missing');
    const spec: SandboxSpec = { command: NODE, args: ['-e', ''], cwd: out, inputs: [missing], output: out, env: ENV };
    const result = await runInSandbox(spec, host(), { timeoutMs: 10_000 });
    expect(result.exitCode).not.toBe(0);
    expect(result.log).toContain(missing);
  });
});

/** Why the sandbox's uid cannot read `path` (an ancestor it cannot pass, or the path itself), or undefined. */
function unreadableByOthers(path: string): string | undefined {
  for (let dir = path; dir !== '/'; dir = dirname(dir)) {
    const mode = statSync(dir).mode;
    if ((mode & 0o001) === 0 || (dir === path && (mode & 0o004) === 0)) return `${dir} is mode ${(mode & 0o777).toString(8)}`;
  }
  return undefined;
}

describe('a synth of this repository in the sandbox', () => {
  const nodeModules = realpathSync(join(repoRoot, 'node_modules'));
  const inputs = [repoRoot, ...(nodeModules.startsWith(`${repoRoot}/`) ? [] : [nodeModules]), ...inputsForProgram(NODE)];
  const cannot = probe.ok ? inputs.map(unreadableByOthers).find(Boolean) : probe.reason;
  if (cannot) console.warn(`synth in the sandbox skipped: the sandbox's uid cannot read the checkout (${cannot})`);
  let out: string;
  beforeEach(() => {
    out = mkdtempSync(join(tmpdir(), 'gitops-sandbox-synth-'));
    if (probe.ok) prepareOutputDir(out, host());
  });
  afterEach(() => rmSync(out, { recursive: true, force: true }));

  (cannot ? test.skip : test)(
    'GIVEN the default limits and no network WHEN the dev environment is synthesized THEN it succeeds',
    async () => {
      const args = [join(repoRoot, 'bin', 'gitops.mjs'), 'synth', '--env', 'dev', '--out', out, '--skip-policy'];
      const env = { ...ENV, GITOPS_COMMIT_SHA: '0123456789abcdef0123456789abcdef01234567' };
      const result = await runInSandbox({ command: NODE, args, cwd: repoRoot, inputs, output: out, env }, host(), { timeoutMs: 180_000 });
      expect(result.log).toMatch(/synthesized \d+ stacks into/);
      expect(result.exitCode).toBe(0);
      const stacks = readdirSync(join(out, 'stacks'));
      expect(stacks.length).toBeGreaterThan(3);
      for (const stack of stacks) expect(() => JSON.parse(readFileSync(join(out, 'stacks', stack, 'cdk.tf.json'), 'utf8'))).not.toThrow();
    },
    200_000,
  );
});

/** Starts a controller process (its exec environment holds `secret`) that runs `spec` in the sandbox; resolves when it exits. */
async function runFromController(
  dir: string,
  spec: SandboxSpec,
  secret: string,
): Promise<{ pid: number; environ: string; output: string }> {
  const script = join(dir, 'controller.mts');
  writeFileSync(
    script,
    `import { probeSandbox, runInSandbox } from ${JSON.stringify(new URL('./sandbox.ts', import.meta.url).href)};
     const probe = probeSandbox();
     if (!probe.ok) throw new Error(probe.reason);
     const spec = JSON.parse(process.argv[2]);
     const args = spec.args.map((a) => a.replaceAll('CONTROLLER_PID', String(process.pid)));
     const result = await runInSandbox({ ...spec, args }, probe.host, { timeoutMs: 180_000 });
     console.log(JSON.stringify(result));`,
  );
  const tsx = new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;
  const controller = spawn(process.execPath, ['--import', tsx, script, JSON.stringify(spec)], {
    env: { PATH: process.env.PATH, GITOPS_CONTROLLER_SECRET: secret },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  controller.stdout.on('data', (d: Buffer) => (output += d.toString()));
  await new Promise((r) => setTimeout(r, 200));
  // What the attacks go after: the controller's own environment, readable on the host.
  const environ = readFileSync(`/proc/${controller.pid}/environ`, 'utf8');
  await new Promise((resolve) => controller.on('close', resolve));
  return { pid: controller.pid!, environ, output };
}

interface Attempt {
  readonly attack: string;
  readonly blocked: boolean;
  readonly detail: string;
}

sandboxed('pull request code attacking the sandbox', () => {
  const secret = `controller-secret-${Date.now()}`;
  const keyText = `-----BEGIN PRIVATE KEY-----\nMIIEv${Date.now()}\n-----END PRIVATE KEY-----`;
  let root: string;
  let secretsDir: string;
  let server: Server;
  let attempts: Attempt[];
  let controllerEnviron: string;
  let transcript: string;
  let connections = 0;
  // The host's own addresses besides loopback: the server listens on all of them.
  const hostAddresses = Object.values(networkInterfaces())
    .flat()
    .filter((a) => a !== undefined && a.family === 'IPv4' && !a.internal)
    .map((a) => a!.address);

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), 'gitops-attack-'));
    secretsDir = mkdtempSync(join(tmpdir(), 'gitops-secrets-'));
    const { tree, cache, out } = jobLayout(root);
    const attackScript = join(tree, 'attack.mjs');
    writeFileSync(attackScript, readFileSync(new URL('../../test/fixtures/sandbox-attack.mjs', import.meta.url)));
    // The controller's files: its key outside every job, another job's key, a key planted in this job's own tree, the store.
    const files: Record<string, string> = {
      'key file outside the mounts': join(secretsDir, 'app.private-key.pem'),
      "key file in another job's work dir": join(root, 'jobs', '8', 'tree', 'deploy-key.pem'),
      'root-only key inside the mounted work tree': join(tree, 'planted-key.pem'),
      'SQLite store in a sibling directory': join(root, 'store', 'gitops.sqlite'),
    };
    for (const file of Object.values(files)) {
      mkdirSync(dirname(file), { recursive: true });
      if (file.endsWith('.pem')) writeFileSync(file, keyText, { mode: 0o600 });
    }
    const db = new Database(files['SQLite store in a sibling directory']);
    db.exec(`CREATE TABLE secrets (value TEXT); INSERT INTO secrets VALUES ('${secret}');`);
    db.close();
    chmodSync(files['SQLite store in a sibling directory'], 0o600);
    server = createServer((socket) => {
      connections++;
      socket.end('hello from the host\n');
    });
    await new Promise<void>((resolve) => server.listen(0, '0.0.0.0', resolve));
    const port = (server.address() as { port: number }).port;

    const target = {
      controllerPid: 'CONTROLLER_PID',
      port,
      hostAddresses,
      outDir: out,
      outFile: join(out, 'attempts.json'),
      files,
      readOnlyDirs: { 'write into the work tree (input)': tree, 'write into the shared dependency cache': join(cache, 'left-pad') },
    };
    const spec: SandboxSpec = {
      command: NODE,
      args: [attackScript, JSON.stringify(target).replace('"CONTROLLER_PID"', 'CONTROLLER_PID')],
      cwd: tree,
      inputs: [tree, cache, ...inputsForProgram(NODE)],
      output: out,
      env: ENV,
      limits: { memoryBytes: 512 * 1024 ** 2, fileSizeBytes: 16 * 1024 ** 2, processes: 64, cpuSeconds: 3, tmpfsBytes: 32 * 1024 ** 2 },
    };
    const run = await runFromController(root, spec, secret);
    controllerEnviron = run.environ;
    transcript = run.output;
    if (!existsSync(target.outFile)) throw new Error(`the attack wrote no report: ${transcript}`);
    attempts = JSON.parse(readFileSync(target.outFile, 'utf8')) as Attempt[];
  }, 240_000);

  afterAll(async () => {
    await new Promise((resolve) => server.close(resolve));
    rmSync(root, { recursive: true, force: true });
    rmSync(secretsDir, { recursive: true, force: true });
  });

  const attempt = (name: string) => {
    const found = attempts.find((a) => a.attack === name);
    if (!found) throw new Error(`no attempt ${name} in ${transcript}`);
    return found;
  };

  test('GIVEN the controller WHEN the attacks start THEN its environment on the host does hold the secret (the target is real)', () => {
    expect(controllerEnviron).toContain(`GITOPS_CONTROLLER_SECRET=${secret}`);
  });

  test.each([
    ['controller environment by host pid', /^cannot read \/proc\/\d+\/environ: ENOENT/],
    ['key file outside the mounts', /: ENOENT/],
    ["key file in another job's work dir", /: ENOENT/],
    ['root-only key inside the mounted work tree', /: EACCES/],
    ['SQLite store in a sibling directory', /: ENOENT/],
    ['read /etc/shadow', /: ENOENT/],
    ['read /etc/passwd', /: ENOENT/],
    ['list /root', /: ENOENT/],
    ['list /home', /^listed \/home: sandbox \(/],
    ['kill the controller', /: ESRCH/],
    ['write into the work tree (input)', /: EROFS/],
    ['write into the shared dependency cache', /: EROFS/],
    // 127.0.0.1 is the sandbox's own loopback, where nothing listens.
    ['connect to the host on 127.0.0.1', /^cannot connect to 127\.0\.0\.1:\d+: ECONNREFUSED/],
    ...hostAddresses.map((address) => [`connect to the host on ${address}`, /: ENETUNREACH/] as [string, RegExp]),
    ['resolve registry.npmjs.org', /^cannot resolve registry\.npmjs\.org: EAI_AGAIN/],
    ['start 300 processes', /^\d+ of 300 started; EAGAIN/],
    ['write a 1 GiB file into the output', /^exit 1 after [\d.]+ s, 16 MiB written; .*EFBIG/],
    ['fill the /tmp tmpfs', /^exit 1 after [\d.]+ s, 3\d MiB in \/tmp; .*ENOSPC/],
    ['allocate 8 GiB of memory', /after [\d.]+ s, [1-5]\d\d MiB allocated; .*(Array buffer allocation failed|out of memory)/],
    // RLIMIT_CPU: 3 s of CPU (more on a busy machine's clock), not the 60 s the script asked for (the timeout would send SIGTERM).
    ['spin the CPU for 60 s', /^killed by SIG(XCPU|KILL) after ([3-9]|[1-5]\d)\.\d s, no progress/],
  ])('GIVEN pull request code WHEN it tries: %s THEN it fails, and says what it could not do', (name, detail) => {
    expect(attempt(name)).toEqual({ attack: name, blocked: true, detail: expect.stringMatching(detail) });
  });

  test('GIVEN pull request code WHEN it lists /proc THEN it sees only the sandbox (bwrap, its own node and children), not the host', () => {
    const seen = attempt('processes visible in /proc');
    expect(seen.blocked).toBe(true);
    expect(seen.detail).toMatch(/^pids 1 2: \/usr\/bin\/bwrap .* \| \/usr\/bin\/node .*attack\.mjs/);
    expect(seen.detail).not.toMatch(/controller\.mts|jest/);
  });

  test("GIVEN pull request code WHEN it reads every environment it can see (pid 1, its parent) THEN none holds the controller's secret", () => {
    for (const name of ['environment of pid 1', 'environment of the parent']) {
      expect(attempt(name)).toEqual({
        attack: name,
        blocked: true,
        detail:
          "pid 1 is the sandbox's own init (bwrap), environment: PATH=/usr/local/bin:/usr/bin:/bin CI=1 HOME=/home/sandbox TMPDIR=/tmp ",
      });
    }
    expect(attempt('environments of processes not in the sandbox')).toEqual({
      attack: 'environments of processes not in the sandbox',
      blocked: true,
      detail: '0 such processes; ',
    });
    expect(JSON.stringify(attempts)).not.toContain(secret);
    expect(JSON.stringify(attempts)).not.toContain('MIIEv');
  });

  test('GIVEN the attacks WHEN they are over THEN the host server never saw a connection and the controller is alive to report', () => {
    expect(connections).toBe(0);
    expect(transcript).toContain('"exitCode":0');
  });

  test('GIVEN the attacks WHEN they are over THEN every attempt the script made was blocked (none is missing from the table)', () => {
    expect(attempts.filter((a) => !a.blocked)).toEqual([]);
    expect(attempts.length).toBe(23 + hostAddresses.length);
  });
});
