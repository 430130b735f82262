import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitForArgument, waitGone } from '../../test/processes.js';
import { runCommand, type RunCommandOptions } from './run.js';

const NODE = process.execPath;

let dir: string;
let base: RunCommandOptions;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'gitops-run-'));
  base = { cwd: dir, env: { PATH: '/usr/local/bin:/usr/bin:/bin' }, timeoutMs: 20_000 };
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('runCommand', () => {
  test('GIVEN an explicit environment WHEN the child prints its own THEN it sees exactly that and nothing of the controller', async () => {
    process.env.GITOPS_RUN_TEST_SECRET = 'controller-secret';
    try {
      const result = await runCommand(NODE, ['-e', 'process.stdout.write(JSON.stringify(process.env))'], {
        ...base,
        env: { PATH: '/usr/bin:/bin', ONLY: 'this' },
        stdoutLimit: 1_000_000,
      });
      expect(result.exitCode).toBe(0);
      expect(JSON.parse(result.stdout)).toEqual({ PATH: '/usr/bin:/bin', ONLY: 'this' });
    } finally {
      delete process.env.GITOPS_RUN_TEST_SECRET;
    }
  });

  test('GIVEN stdout and stderr WHEN stdout is kept THEN stdout holds only stdout and the log both, in order', async () => {
    const script =
      "process.stdout.write('out-1\\n'); setTimeout(() => { process.stderr.write('err-2\\n'); setTimeout(() => process.stdout.write('out-3\\n'), 50); }, 50)";
    const result = await runCommand(NODE, ['-e', script], { ...base, stdoutLimit: 1000 });
    expect(result.stdout).toBe('out-1\nout-3\n');
    expect(result.log).toBe('out-1\nerr-2\nout-3\n');
    expect(result.outputBytes).toBe(18);
  });

  test('GIVEN stdout not asked for WHEN the command prints THEN stdout is empty and the log has it', async () => {
    const result = await runCommand(NODE, ['-e', "console.log('hello')"], base);
    expect(result).toMatchObject({ exitCode: 0, stdout: '', stdoutOverflow: false, log: 'hello\n' });
  });

  test('GIVEN a failing command WHEN run THEN it resolves with the exit code and the tail of the log', async () => {
    const script = "console.log('x'.repeat(50)); console.error('boom: bad config'); process.exit(3)";
    const result = await runCommand(NODE, ['-e', script], { ...base, logLimit: 30 });
    expect(result).toMatchObject({ exitCode: 3, timedOut: false, aborted: false });
    expect(result.log).toBe(`${'x'.repeat(12)}\nboom: bad config\n`);
  });

  test('GIVEN a child printing 1 GiB WHEN run THEN the heap does not grow with it and the log is the tail', async () => {
    const before = process.memoryUsage();
    const result = await runCommand('sh', ['-c', 'yes 0123456789abcdef | head -c 1073741824; echo; echo last line'], {
      ...base,
      logLimit: 1000,
      timeoutMs: 100_000,
    });
    const after = process.memoryUsage();
    expect(result.exitCode).toBe(0);
    expect(result.outputBytes).toBe(1024 ** 3 + 11);
    expect(result.log).toHaveLength(1000);
    expect(result.log).toMatch(/^[0-9a-f\n]+\nlast line\n$/);
    expect(after.heapUsed - before.heapUsed).toBeLessThan(64 * 1024 ** 2);
    expect(after.rss - before.rss).toBeLessThan(128 * 1024 ** 2);
  }, 120_000);

  test('GIVEN a stdout limit WHEN the command prints more THEN it is stopped and the result says so', async () => {
    const result = await runCommand('sh', ['-c', 'yes; echo never'], { ...base, stdoutLimit: 100_000, killGraceMs: 500 });
    expect(result.stdoutOverflow).toBe(true);
    expect(Buffer.byteLength(result.stdout)).toBeLessThanOrEqual(100_000);
    expect(result.log).not.toContain('never');
  });

  test('GIVEN secrets WHEN the child prints them, one split across writes and one cut by the tail THEN the log shows *** only', async () => {
    const secret = 'super-secret-value-123';
    const script = "process.stdout.write('a super-secret'); setTimeout(() => process.stderr.write('-value-123 b, a table\\n'), 50)";
    const result = await runCommand(NODE, ['-e', script], { ...base, secrets: [secret, 'table'] });
    // Values shorter than 6 characters are left alone (SecretMasker): they would turn ordinary words into ***.
    expect(result.log).toBe('a *** b, a table\n');
    // The tail starts inside a secret: neither the secret nor its visible end may remain.
    const cut = await runCommand(NODE, ['-e', `console.log('${secret}'.repeat(3000) + ' end')`], {
      ...base,
      secrets: [secret],
      logLimit: 40,
    });
    expect(cut.log).not.toMatch(/value-123|secret/);
    expect(cut.log.endsWith('*** end\n')).toBe(true);
  });

  test('GIVEN a command that starts a grandchild and hangs WHEN the timeout passes THEN the whole process group is stopped', async () => {
    const marker = `grandchild-${process.pid}-${Date.now()}`;
    const script = `require('child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', '${marker}'], { stdio: 'ignore' });
      console.log('started'); setInterval(() => {}, 1000);`;
    const pending = runCommand(NODE, ['-e', script], { ...base, timeoutMs: 6000, killGraceMs: 500 });
    const grandchild = await waitForArgument(marker, 5000);
    expect(grandchild).toBeGreaterThan(0);
    const result = await pending;
    expect(result.timedOut).toBe(true);
    expect(result.durationMs).toBeLessThan(10_000);
    expect(await waitGone(grandchild!)).toBe(true);
  });

  test('GIVEN a command that handles SIGTERM WHEN it times out THEN it gets SIGTERM first and may finish within the grace period', async () => {
    const script =
      "process.on('SIGTERM', () => { console.log('graceful stop'); process.exit(0); }); console.log('ready'); setInterval(() => {}, 1000)";
    const result = await runCommand(NODE, ['-e', script], { ...base, timeoutMs: 4000, killGraceMs: 10_000 });
    expect(result).toMatchObject({ timedOut: true, exitCode: 0 });
    expect(result.log).toBe('ready\ngraceful stop\n');
    expect(result.durationMs).toBeLessThan(9000); // not the 14 s a SIGKILL after the grace period would take
  });

  test('GIVEN a command that ignores SIGTERM WHEN it times out THEN SIGKILL follows after the grace period', async () => {
    const script = "process.on('SIGTERM', () => console.log('ignored')); console.log('ready'); setInterval(() => {}, 1000)";
    const result = await runCommand(NODE, ['-e', script], { ...base, timeoutMs: 4000, killGraceMs: 700 });
    expect(result.timedOut).toBe(true);
    expect(result.exitCode === null || result.exitCode === 128 + 9).toBe(true);
    expect(result.log).toBe('ready\nignored\n');
    expect(result.durationMs).toBeGreaterThanOrEqual(4700);
  });

  test('GIVEN a running command WHEN its signal aborts THEN it is stopped and marked aborted', async () => {
    const controller = new AbortController();
    const pending = runCommand(NODE, ['-e', 'setInterval(() => {}, 1000)'], { ...base, signal: controller.signal });
    setTimeout(() => controller.abort(new Error('superseded')), 300);
    const result = await pending;
    expect(result).toMatchObject({ aborted: true, timedOut: false });
    expect(result.durationMs).toBeLessThan(3000);
  });

  test('GIVEN an already aborted signal WHEN run THEN the command is stopped at once', async () => {
    const result = await runCommand(NODE, ['-e', 'setInterval(() => {}, 1000)'], { ...base, signal: AbortSignal.abort() });
    expect(result).toMatchObject({ aborted: true, timedOut: false });
  });

  test('GIVEN a command that does not exist WHEN run THEN it rejects naming the command and the PATH searched', async () => {
    await expect(runCommand('no-such-binary-gitops', [], base)).rejects.toThrow(
      'cannot run no-such-binary-gitops: not found on PATH /usr/local/bin:/usr/bin:/bin',
    );
    await expect(runCommand('./missing.sh', [], base)).rejects.toThrow('cannot run ./missing.sh: no executable file there');
  });

  test('GIVEN a file that is not executable WHEN run THEN it rejects naming the command', async () => {
    writeFileSync(join(dir, 'script.sh'), 'echo hi');
    await expect(runCommand(join(dir, 'script.sh'), [], base)).rejects.toThrow(/^cannot run .*script\.sh: no executable file there$/);
  });

  test('GIVEN a working directory that does not exist WHEN run THEN it rejects naming the directory', async () => {
    await expect(runCommand(NODE, ['-e', ''], { ...base, cwd: join(dir, 'gone') })).rejects.toThrow(
      `cannot run ${NODE}: working directory ${join(dir, 'gone')} does not exist`,
    );
  });

  test('GIVEN no lifetime wrapper WHEN run THEN the command is the direct child and still stopped by the timeout', async () => {
    const result = await runCommand(NODE, ['-e', 'console.log(process.ppid); setInterval(() => {}, 1000)'], {
      ...base,
      lifetime: false,
      timeoutMs: 800,
      killGraceMs: 200,
    });
    expect(Number(result.log.trim())).toBe(process.pid);
    expect(result.timedOut).toBe(true);
  });
});
