import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isRunning, pidsWithArgument, waitGone } from '../../test/processes.js';
import { lifetimeHere, probeLifetime, withLifetime, type LifetimeSupport } from './lifetime.js';
import { probeSandbox } from './sandbox.js';

// Where bubblewrap can make a sandbox, namespaces can be made: then a PID namespace must be what the runner uses.
const sandbox = probeSandbox();
if (!sandbox.ok) console.warn(`PID namespace tests skipped: ${sandbox.reason}`);
const withNamespaces = sandbox.ok ? test : test.skip;

const tools = { setpriv: '/usr/bin/setpriv', unshare: '/usr/bin/unshare', sh: '/bin/sh' };

describe('withLifetime', () => {
  test('GIVEN a PID namespace WHEN a command is wrapped THEN setpriv, unshare and a shell first process run it', () => {
    expect(withLifetime({ lifetime: 'pid-namespace', userNamespace: false, tools }, '/usr/bin/terraform', ['apply', 'plan file'])).toEqual({
      command: '/usr/bin/setpriv',
      args: [
        '--pdeathsig',
        'SIGKILL',
        '--',
        '/usr/bin/unshare',
        '--pid',
        '--fork',
        '--kill-child=SIGKILL',
        '--',
        '/bin/sh',
        '-c',
        'unset PWD; "$@" & wait "$!"',
        'sh',
        '/usr/bin/terraform',
        'apply',
        'plan file',
      ],
    });
  });

  test('GIVEN a controller that is not root WHEN wrapped in a PID namespace THEN unshare maps its own user', () => {
    const { args } = withLifetime({ lifetime: 'pid-namespace', userNamespace: true, tools }, '/bin/true', []);
    expect(args.slice(3, 6)).toEqual(['/usr/bin/unshare', '--map-current-user', '--pid']);
  });

  test('GIVEN only the parent-death signal or nothing WHEN wrapped THEN setpriv alone or the bare command runs', () => {
    expect(withLifetime({ lifetime: 'parent-death-signal', userNamespace: false, tools }, '/bin/sleep', ['9'])).toEqual({
      command: '/usr/bin/setpriv',
      args: ['--pdeathsig', 'SIGKILL', '--', '/bin/sleep', '9'],
    });
    expect(withLifetime({ lifetime: 'none', userNamespace: false, tools }, '/bin/sleep', ['9'])).toEqual({
      command: '/bin/sleep',
      args: ['9'],
    });
  });
});

describe('probeLifetime', () => {
  withNamespaces('GIVEN a machine where namespaces can be made WHEN probed THEN a PID namespace is used', () => {
    expect(probeLifetime()).toMatchObject({ lifetime: 'pid-namespace' });
  });

  test('GIVEN a PATH without setpriv or unshare WHEN probed THEN nothing ties the child to the controller', () => {
    expect(probeLifetime('/nonexistent')).toMatchObject({ lifetime: 'none' });
  });
});

describe('a controller killed with SIGKILL', () => {
  const runUrl = new URL('./run.ts', import.meta.url).href;
  const tsxLoader = new URL('../../node_modules/tsx/dist/loader.mjs', import.meta.url).href;
  let dir: string;
  let controller: ChildProcess | undefined;
  let marker: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'gitops-lifetime-'));
    marker = `lifetime-${process.pid}-${Date.now()}`;
  });
  afterEach(() => {
    controller?.kill('SIGKILL');
    for (const pid of [...pidsWithArgument(`${marker}-child`), ...pidsWithArgument(`${marker}-grandchild`)]) process.kill(pid, 'SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  /** Starts a node process that runs a command (which starts a grandchild) with runCommand, and waits for both. */
  async function startController(lifetime: LifetimeSupport): Promise<{ child: number; grandchild: number }> {
    const script = join(dir, 'controller.ts');
    const command = `require('child_process').spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)', '${marker}-grandchild'], { stdio: 'ignore' }); setInterval(() => {}, 1000)`;
    writeFileSync(
      script,
      `import { runCommand } from ${JSON.stringify(runUrl)};
       void runCommand(process.execPath, ['-e', ${JSON.stringify(command)}, '${marker}-child'], {
         cwd: ${JSON.stringify(dir)}, env: { PATH: '/usr/bin:/bin' }, timeoutMs: 60_000, lifetime: ${JSON.stringify(lifetime)},
       });`,
    );
    controller = spawn(process.execPath, ['--import', tsxLoader, script], { stdio: 'ignore' });
    for (let waited = 0; waited < 15_000; waited += 100) {
      const [child] = pidsWithArgument(`${marker}-child`);
      const [grandchild] = pidsWithArgument(`${marker}-grandchild`);
      if (child && grandchild) return { child, grandchild };
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the controller did not start its command within 15 s');
  }

  withNamespaces(
    'GIVEN a command run in a PID namespace WHEN the controller is SIGKILLed THEN the command and its own child die too',
    async () => {
      const { child, grandchild } = await startController(lifetimeHere());
      process.kill(controller!.pid!, 'SIGKILL');
      expect(await waitGone(child)).toBe(true);
      expect(await waitGone(grandchild)).toBe(true);
    },
  );

  test('GIVEN only the parent-death signal WHEN the controller is SIGKILLed THEN the command dies (its own child is re-parented)', async () => {
    const { child, grandchild } = await startController({ ...lifetimeHere(), lifetime: 'parent-death-signal' });
    process.kill(controller!.pid!, 'SIGKILL');
    expect(await waitGone(child)).toBe(true);
    // What the PID namespace adds: without it the kernel signals the direct child only.
    expect(isRunning(grandchild)).toBe(true);
  });

  test('GIVEN no lifetime at all WHEN the controller is SIGKILLed THEN the command lives on under another parent (what this module prevents)', async () => {
    const { child } = await startController({ ...lifetimeHere(), lifetime: 'none' });
    process.kill(controller!.pid!, 'SIGKILL');
    await new Promise((r) => setTimeout(r, 500));
    expect(isRunning(child)).toBe(true);
  });
});
