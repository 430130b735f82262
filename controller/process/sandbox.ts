// Whether pull request code can be sandboxed here (tried for real), the controller's decision when it cannot,
// and running a sandbox spec with the one process runner.
import { spawnSync } from 'node:child_process';
import { chownSync, mkdirSync, mkdtempSync, realpathSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { bubblewrapCommand, SANDBOX_GID, SANDBOX_UID, type SandboxHost, type SandboxSpec } from './bubblewrap.js';
import { findExecutable } from './executable.js';
import { runCommand, type CommandResult, type RunCommandOptions } from './run.js';

export type SandboxProbe = { readonly ok: true; readonly host: SandboxHost } | { readonly ok: false; readonly reason: string };

/** The last non-empty line of a tool's error output. */
function lastErrorLine(text: string): string {
  return (
    text
      .split('\n')
      .map((l) => l.trim())
      .filter(Boolean)
      .at(-1) ?? 'no output'
  );
}

/** Finds bwrap, setpriv and prlimit and makes one sandbox that runs `true` (about 20 ms). */
export function probeSandbox(path: string | undefined = process.env.PATH): SandboxProbe {
  const bwrap = findExecutable('bwrap', path);
  if (bwrap === undefined) return { ok: false, reason: 'bubblewrap is not installed (no bwrap on PATH; Debian package bubblewrap)' };
  const setpriv = findExecutable('setpriv', path);
  const prlimit = findExecutable('prlimit', path);
  if (setpriv === undefined || prlimit === undefined) {
    return { ok: false, reason: `util-linux ${setpriv === undefined ? 'setpriv' : 'prlimit'} is not on PATH` };
  }
  const host: SandboxHost = { bwrap, setpriv, prlimit, root: process.getuid?.() === 0 };
  const output = mkdtempSync(join(tmpdir(), 'gitops-sandbox-probe-'));
  try {
    prepareOutputDir(output, host);
    const done = findExecutable('true', path) ?? '/bin/true';
    const line = bubblewrapCommand({ command: done, args: [], cwd: output, inputs: [], output, env: { PATH: '/usr/bin:/bin' } }, host);
    const tried = spawnSync(line.command, line.args, { env: line.env, encoding: 'utf8', timeout: 10_000 });
    if (tried.error) return { ok: false, reason: `bubblewrap cannot start: ${tried.error.message}` };
    if (tried.status !== 0) {
      return { ok: false, reason: `bubblewrap cannot make a sandbox here (user namespaces unavailable?): ${lastErrorLine(tried.stderr)}` };
    }
    return { ok: true, host };
  } finally {
    rmSync(output, { recursive: true, force: true });
  }
}

export interface SandboxDecision {
  /** Pull request code may run. */
  readonly run: boolean;
  /** It runs in the sandbox (false: refused, or run unsafely by the operator's choice). */
  readonly sandboxed: boolean;
  /** One line for the log and the check run. */
  readonly reason: string;
}

/** Whether pull request code runs: in the sandbox, or without one only when the operator set GITOPS_UNSAFE_SANDBOX=1. Pure. */
export function sandboxDecision(probe: SandboxProbe, env: { readonly GITOPS_UNSAFE_SANDBOX?: string }): SandboxDecision {
  const unsafe = env.GITOPS_UNSAFE_SANDBOX;
  if (unsafe !== undefined && unsafe !== '' && unsafe !== '1' && unsafe !== '0') {
    throw new Error(
      `GITOPS_UNSAFE_SANDBOX must be 1 (run pull request code without a sandbox) or 0 / unset, not ${JSON.stringify(unsafe)}`,
    );
  }
  if (probe.ok) return { run: true, sandboxed: true, reason: 'pull request code runs in a bubblewrap sandbox' };
  if (unsafe === '1') {
    return { run: true, sandboxed: false, reason: `pull request code runs WITHOUT a sandbox (GITOPS_UNSAFE_SANDBOX=1): ${probe.reason}` };
  }
  return {
    run: false,
    sandboxed: false,
    reason: `pull request code is not run: no sandbox can be made here (${probe.reason}); an operator may set GITOPS_UNSAFE_SANDBOX=1 to run it without one`,
  };
}

const inSystemDir = (path: string) => ['/usr/', '/bin/', '/sbin/', '/lib/', '/lib64/'].some((dir) => path.startsWith(dir));
/** `<…>/node_modules/<name>` or `<…>/node_modules/@scope/<name>` around a file: the innermost package holding it. */
const NODE_PACKAGE = /^(.*\/node_modules\/(?:@[^/]+\/)?[^/]+)\//;

/**
 * What to mount for a program installed outside the system directories (node under /opt, a tool unpacked in a
 * temporary directory); nothing for system programs. The program's own file, or for a script of a node package
 * (npm's bin/npm-cli.js) that package, which it loads; and the path it was called by when that is a symlink.
 * Never the directories around it: a program directly in /tmp would otherwise bring every other job's files.
 */
export function inputsForProgram(program: string): string[] {
  const file = realpathSync(program);
  const inputs = inSystemDir(file) ? [] : [NODE_PACKAGE.exec(file)?.[1] ?? file];
  // bubblewrap mounts what a symlink points to at the symlink's own path: the program runs by the name it was given
  if (program !== file && !inSystemDir(program)) inputs.push(program);
  return inputs;
}

/** Creates the sandbox's output directory, owned by the sandbox's uid when the controller is root (it writes as nobody). */
export function prepareOutputDir(dir: string, host: SandboxHost): string {
  mkdirSync(dir, { recursive: true });
  if (host.root) chownSync(dir, SANDBOX_UID, SANDBOX_GID);
  return dir;
}

export type InSandboxOptions = Omit<RunCommandOptions, 'cwd' | 'env' | 'lifetime'>;

/** Runs `spec` in the sandbox. bwrap ties its namespace to the controller itself; a stop (timeout, abort) kills the whole sandbox. */
export function runInSandbox(spec: SandboxSpec, host: SandboxHost, opts: InSandboxOptions): Promise<CommandResult> {
  const line = bubblewrapCommand(spec, host);
  return runCommand(line.command, line.args, { ...opts, cwd: '/', env: line.env, lifetime: false });
}

/**
 * Why the sandbox cannot mount `path` (undefined when it can): bubblewrap runs as the sandbox's uid when the
 * controller is root, and then needs search permission (o+x) on every directory above what it mounts.
 */
export function sandboxReachProblem(path: string, host: SandboxHost): string | undefined {
  if (!host.root) return undefined;
  for (let dir = dirname(path); ; dir = dirname(dir)) {
    const stat = statSync(dir, { throwIfNoEntry: false });
    if (stat === undefined) return `the sandbox cannot mount ${path}: ${dir} does not exist`;
    const mode = stat.mode & 0o777;
    if ((mode & 0o001) === 0) {
      return `the sandbox (uid ${SANDBOX_UID}) cannot reach ${path}: ${dir} is mode ${mode.toString(8)} (it needs o+x, search permission for others)`;
    }
    if (dir === '/') return undefined;
  }
}
