// Makes a child's whole process tree die with the controller, even when the controller is SIGKILLed
// (no exit handler runs then). The kernel does it: the child gets PR_SET_PDEATHSIG (util-linux setpriv),
// and where a PID namespace can be made the command runs inside one, whose processes all die with its first process.
import { spawnSync } from 'node:child_process';
import { findExecutable } from './executable.js';

/**
 * - `pid-namespace`: the command and everything it starts die with the controller.
 * - `parent-death-signal`: only the command itself does (its own children are re-parented and live on).
 * - `none`: nothing does (no setpriv here).
 */
export type Lifetime = 'pid-namespace' | 'parent-death-signal' | 'none';

export interface LifetimeSupport {
  readonly lifetime: Lifetime;
  /** `unshare` needs a user namespace when the controller is not root. */
  readonly userNamespace: boolean;
  /** Absolute paths of the helpers, found on the controller's PATH (the child's PATH may not have them). */
  readonly tools: { readonly setpriv: string; readonly unshare: string; readonly sh: string };
}

/**
 * In the PID namespace a shell is the first process: it has no signal handlers, so the kernel shields it from the
 * runner's SIGTERM, while the command (the shell's child, same process group) receives it and can stop gracefully.
 * When the command ends, the shell exits with its status and the kernel kills whatever the command left behind.
 */
const NAMESPACE_INIT = ['-c', 'unset PWD; "$@" & wait "$!"', 'sh'];

/** The command line that runs `command args` so it dies with the controller. Pure. */
export function withLifetime(support: LifetimeSupport, command: string, args: readonly string[]): { command: string; args: string[] } {
  if (support.lifetime === 'none') return { command, args: [...args] };
  const { setpriv, unshare, sh } = support.tools;
  const deathSignal = ['--pdeathsig', 'SIGKILL', '--'];
  if (support.lifetime === 'parent-death-signal') return { command: setpriv, args: [...deathSignal, command, ...args] };
  const namespace = [unshare, ...(support.userNamespace ? ['--map-current-user'] : []), '--pid', '--fork', '--kill-child=SIGKILL', '--'];
  return { command: setpriv, args: [...deathSignal, ...namespace, sh, ...NAMESPACE_INIT, command, ...args] };
}

function works(command: string, args: readonly string[]): boolean {
  const probe = spawnSync(command, args, { stdio: 'ignore', timeout: 5000 });
  return probe.error === undefined && probe.status === 0;
}

/** What this machine supports, tried for real (a few milliseconds). */
export function probeLifetime(path: string | undefined = process.env.PATH): LifetimeSupport {
  const tools = {
    setpriv: findExecutable('setpriv', path) ?? '',
    unshare: findExecutable('unshare', path) ?? '',
    sh: findExecutable('sh', path) ?? '',
  };
  const done = findExecutable('true', path) ?? 'true';
  for (const userNamespace of [false, true]) {
    const { command, args } = withLifetime({ lifetime: 'pid-namespace', userNamespace, tools }, done, []);
    if (tools.setpriv !== '' && tools.unshare !== '' && tools.sh !== '' && works(command, args))
      return { lifetime: 'pid-namespace', userNamespace, tools };
  }
  if (tools.setpriv !== '' && works(tools.setpriv, ['--pdeathsig', 'SIGKILL', '--', done])) {
    return { lifetime: 'parent-death-signal', userNamespace: false, tools };
  }
  return { lifetime: 'none', userNamespace: false, tools };
}

let cached: LifetimeSupport | undefined;

/** probeLifetime(), tried once per controller process. */
export function lifetimeHere(): LifetimeSupport {
  return (cached ??= probeLifetime());
}
