import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitForArgument, waitGone } from '../../test/processes.js';
import { sandboxDecision } from '../process/sandbox.js';
import {
  isDeniedVariable,
  isolationOf,
  lastLine,
  runPullRequestCode,
  runSandboxed,
  sandboxEnv,
  sandboxReachProblem,
  UNSANDBOXED,
} from './sandbox.js';

const SECRETS = {
  GITHUB_TOKEN: 'ghs_token',
  GH_TOKEN: 'gh_token',
  PRIVATE_KEY: '-----BEGIN RSA PRIVATE KEY-----',
  PRIVATE_KEY_PATH: '/etc/app.pem',
  WEBHOOK_SECRET: 'whsec',
  APP_ID: '123',
  AWS_SECRET_ACCESS_KEY: 'aws',
  ARM_CLIENT_SECRET: 'arm',
  AZURE_CLIENT_SECRET: 'azure',
  GOOGLE_APPLICATION_CREDENTIALS: '/gcp.json',
  TF_VAR_db_password: 'pw',
  NODE_OPTIONS: '--require /opt/agent.js',
};

let dir: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'c2-sandbox-'));
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('sandboxEnv', () => {
  test('GIVEN a controller environment full of credentials WHEN the sandbox environment is built THEN only the allow-list and fixed values remain', () => {
    const env = sandboxEnv({
      home: '/work/sandbox/home',
      tmpDir: '/work/sandbox/tmp',
      from: { ...SECRETS, PATH: '/usr/bin', LANG: 'C.UTF-8', HOME: '/root' },
    });
    expect(env).toEqual({
      PATH: '/usr/bin',
      LANG: 'C.UTF-8',
      HOME: '/work/sandbox/home',
      TMPDIR: '/work/sandbox/tmp',
      CI: '1',
      NO_COLOR: '1',
      CHECKPOINT_DISABLE: '1',
    });
  });

  test('GIVEN an extra variable with a credential name WHEN the environment is built THEN it throws naming every such variable', () => {
    expect(() =>
      sandboxEnv({ home: '/h', extra: { npm_config_registry: 'https://npm.example', aws_profile: 'x', GITHUB_TOKEN: 't' }, from: {} }),
    ).toThrow(/^sandbox environment: aws_profile, GITHUB_TOKEN may not be passed to the pull request's code \(denied: .*\^AWS_/);
  });

  test('GIVEN a harmless extra variable WHEN the environment is built THEN it is passed', () => {
    expect(sandboxEnv({ home: '/h', extra: { npm_config_registry: 'https://npm.example' }, from: {} }).npm_config_registry).toBe(
      'https://npm.example',
    );
  });

  test.each(Object.keys(SECRETS).filter((k) => k !== 'NODE_OPTIONS'))('GIVEN %s WHEN classified THEN it is denied', (name) => {
    expect(isDeniedVariable(name)).toBe(true);
  });
});

describe('runSandboxed', () => {
  test('GIVEN a child that dumps its environment WHEN run with the sandbox environment THEN it sees none of the parent secrets', async () => {
    const saved = { ...process.env };
    Object.assign(process.env, SECRETS);
    try {
      const env = sandboxEnv({ home: dir });
      const out = join(dir, 'env.json');
      const result = await runSandboxed(
        process.execPath,
        ['-e', `require('fs').writeFileSync(${JSON.stringify(out)}, JSON.stringify(process.env))`],
        { cwd: dir, env, timeoutMs: 10_000 },
      );
      expect(result.exitCode).toBe(0);
      const seen = JSON.parse(readFileSync(out, 'utf8')) as Record<string, string>;
      for (const name of Object.keys(SECRETS)) expect(seen[name]).toBeUndefined();
      expect(seen.HOME).toBe(dir);
    } finally {
      process.env = saved;
    }
  });

  test('GIVEN a failing command WHEN run THEN it resolves with the exit code and the tail of stdout and stderr', async () => {
    const result = await runSandboxed(
      process.execPath,
      ['-e', "console.log('x'.repeat(50)); console.error('boom: bad config'); process.exit(3)"],
      {
        cwd: dir,
        env: sandboxEnv({ home: dir }),
        timeoutMs: 10_000,
        logLimit: 30,
      },
    );
    expect(result).toMatchObject({ exitCode: 3, timedOut: false, aborted: false });
    expect(result.log.length).toBeLessThanOrEqual(30);
    expect(lastLine(result.log)).toBe('boom: bad config');
  });

  test('GIVEN a command that starts a grandchild and hangs WHEN the timeout passes THEN the whole process group is stopped', async () => {
    // The grandchild is found by an argument: in a PID namespace the command knows only its own pids.
    const marker = `sandbox-grandchild-${process.pid}-${Date.now()}`;
    const script = `require('child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', '${marker}'], { stdio: 'ignore' });
      setInterval(() => {}, 1000);`;
    const pending = runSandboxed(process.execPath, ['-e', script], {
      cwd: dir,
      env: sandboxEnv({ home: dir }),
      timeoutMs: 6000,
      killGraceMs: 500,
    });
    const grandchild = await waitForArgument(marker, 5000);
    expect(grandchild).toBeGreaterThan(0);
    const result = await pending;
    expect(result.timedOut).toBe(true);
    expect(await waitGone(grandchild!)).toBe(true);
  });

  test('GIVEN a running command WHEN its signal aborts THEN it is stopped and marked aborted', async () => {
    const controller = new AbortController();
    const pending = runSandboxed(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], {
      cwd: dir,
      env: sandboxEnv({ home: dir }),
      timeoutMs: 30_000,
      signal: controller.signal,
    });
    setTimeout(() => controller.abort(new Error('superseded')), 300);
    const result = await pending;
    // The child never exits on its own: an aborted result means the signal killed it.
    expect(result).toMatchObject({ aborted: true, timedOut: false });
  });

  test('GIVEN a command that does not exist WHEN run THEN it rejects naming the command', async () => {
    await expect(runSandboxed('no-such-binary-c2', [], { cwd: dir, env: sandboxEnv({ home: dir }), timeoutMs: 1000 })).rejects.toThrow(
      /^cannot run no-such-binary-c2: /,
    );
  });
});

describe('isolationOf', () => {
  const host = { bwrap: '/usr/bin/bwrap', setpriv: '/usr/bin/setpriv', prlimit: '/usr/bin/prlimit', root: true };
  const none = { ok: false as const, reason: 'bubblewrap is not installed' };

  test.each([
    ['a sandbox', 'in the sandbox', { ok: true as const, host }, {}, { sandboxed: true, host }],
    ['no sandbox, GITOPS_UNSAFE_SANDBOX=1', 'unsandboxed', none, { GITOPS_UNSAFE_SANDBOX: '1' }, UNSANDBOXED],
    ['no sandbox and no consent', 'not at all', none, {}, undefined],
  ])('GIVEN %s WHEN decided THEN pull request code runs %s', (_, __, probe, env, expected) => {
    expect(isolationOf(sandboxDecision(probe, env), probe)).toEqual(expected);
  });
});

describe('sandboxReachProblem', () => {
  const root = { bwrap: '', setpriv: '', prlimit: '', root: true };

  test('GIVEN an input below a directory others may not enter WHEN checked for a root controller THEN it names that directory and its mode', () => {
    mkdirSync(join(dir, 'private', 'jobs'), { recursive: true });
    chmodSync(dir, 0o755);
    chmodSync(join(dir, 'private'), 0o750);
    expect(sandboxReachProblem(join(dir, 'private', 'jobs'), root)).toBe(
      `the sandbox (uid 65534) cannot reach ${join(dir, 'private', 'jobs')}: ${join(dir, 'private')} is mode 750 (it needs o+x, search permission for others)`,
    );
    chmodSync(join(dir, 'private'), 0o711);
    expect(sandboxReachProblem(join(dir, 'private', 'jobs'), root)).toBeUndefined();
  });

  test('GIVEN a controller that is not root WHEN checked THEN nothing is in the way (the sandbox runs as its uid)', () => {
    expect(sandboxReachProblem(join(dir, 'anything'), { ...root, root: false })).toBeUndefined();
  });

  test('GIVEN an input whose directory does not exist WHEN checked THEN it says so', () => {
    expect(sandboxReachProblem(join(dir, 'missing', 'tree'), root)).toBe(
      `the sandbox cannot mount ${join(dir, 'missing', 'tree')}: ${join(dir, 'missing')} does not exist`,
    );
  });
});

describe('runPullRequestCode', () => {
  test('GIVEN a command on no PATH WHEN run in the sandbox THEN it rejects naming the command and the PATH', async () => {
    const host = { bwrap: '/usr/bin/bwrap', setpriv: '/usr/bin/setpriv', prlimit: '/usr/bin/prlimit', root: false };
    const cmd = {
      command: 'no-such-installer',
      args: [],
      cwd: dir,
      inputs: [],
      output: dir,
      env: { PATH: '/nonexistent' },
      timeoutMs: 1000,
    };
    await expect(runPullRequestCode({ sandboxed: true, host }, cmd)).rejects.toThrow(
      'cannot run no-such-installer: not found on PATH /nonexistent',
    );
  });
});
