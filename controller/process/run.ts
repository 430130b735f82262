// The one way the controller runs a command (synth, dependency install, terraform): an explicit environment,
// a timeout and an abort signal that stop the whole process group (SIGTERM, then SIGKILL after a grace period),
// bounded output, secrets redacted in the log, and a process tree that dies with the controller.
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { findExecutable } from './executable.js';
import { lifetimeHere, withLifetime, type LifetimeSupport } from './lifetime.js';
import { BoundedBuffer, LogTail } from './output.js';

export interface RunCommandOptions {
  readonly cwd: string;
  /** The complete environment of the child: nothing is inherited from the controller. */
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** Between SIGTERM and SIGKILL of the process group. @default 5000 */
  readonly killGraceMs?: number;
  /** Characters of the combined log kept (its tail). @default 16000 */
  readonly logLimit?: number;
  /** Keep stdout apart, up to this many bytes; past them the command is stopped (`stdoutOverflow`). @default 0 (not kept) */
  readonly stdoutLimit?: number;
  /** Values replaced by `***` in the log (credentials given to the child). @default none */
  readonly secrets?: readonly string[];
  /**
   * How the child is tied to the controller's life. `false` when the command ties itself (bubblewrap --die-with-parent).
   * @default lifetimeHere(): a PID namespace where one can be made, else the parent-death signal
   */
  readonly lifetime?: LifetimeSupport | false;
}

export interface CommandResult {
  /** The exit code; a command killed by signal N exits 128 + N when it ran in a PID namespace, else null. */
  readonly exitCode: number | null;
  /** stdout alone (only with `stdoutLimit`), not redacted. */
  readonly stdout: string;
  /** stdout passed `stdoutLimit`: the command was stopped and `stdout` is incomplete. */
  readonly stdoutOverflow: boolean;
  /** The tail of stdout and stderr interleaved as they arrived, secrets redacted. */
  readonly log: string;
  /** Bytes the command printed on stdout and stderr, kept or not. */
  readonly outputBytes: number;
  readonly timedOut: boolean;
  readonly aborted: boolean;
  readonly durationMs: number;
}

/** Runs `command args` in its own process group. Rejects only when it cannot be started; a failing command resolves. */
export function runCommand(command: string, args: readonly string[], opts: RunCommandOptions): Promise<CommandResult> {
  const started = performance.now();
  if (!isDirectory(opts.cwd)) return Promise.reject(new Error(`cannot run ${command}: working directory ${opts.cwd} does not exist`));
  const file = findExecutable(command, opts.env.PATH, opts.cwd);
  if (file === undefined) {
    const where = command.includes('/') ? 'no executable file there' : `not found on PATH ${opts.env.PATH ?? '(unset)'}`;
    return Promise.reject(new Error(`cannot run ${command}: ${where}`));
  }
  const lifetime = opts.lifetime === undefined ? lifetimeHere() : opts.lifetime;
  const line = lifetime === false ? { command: file, args: [...args] } : withLifetime(lifetime, file, args);
  const log = new LogTail(opts.logLimit ?? 16_000, opts.secrets ?? []);
  const stdout = new BoundedBuffer(opts.stdoutLimit ?? 0);
  const keepStdout = (opts.stdoutLimit ?? 0) > 0;

  return new Promise((resolve, reject) => {
    const child = spawn(line.command, line.args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let timedOut = false;
    let aborted = false;
    let killTimer: NodeJS.Timeout | undefined;
    const signalGroup = (sig: NodeJS.Signals) => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, sig);
      } catch {
        // the group is already gone
      }
    };
    const stop = () => {
      signalGroup('SIGTERM');
      killTimer ??= setTimeout(() => signalGroup('SIGKILL'), opts.killGraceMs ?? 5000);
    };
    const timer = setTimeout(() => {
      timedOut = true;
      stop();
    }, opts.timeoutMs);
    const onAbort = () => {
      aborted = true;
      stop();
    };
    if (opts.signal?.aborted) onAbort();
    else opts.signal?.addEventListener('abort', onAbort, { once: true });
    const settle = () => {
      clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      opts.signal?.removeEventListener('abort', onAbort);
    };
    child.stdout.on('data', (chunk: Buffer) => {
      log.append('stdout', chunk);
      if (keepStdout && !stdout.append(chunk)) stop();
    });
    child.stderr.on('data', (chunk: Buffer) => log.append('stderr', chunk));
    child.on('error', (e) => {
      settle();
      reject(new Error(`cannot run ${command}: ${e.message}`));
    });
    child.on('close', (code) => {
      settle();
      resolve({
        exitCode: code,
        stdout: keepStdout ? stdout.toString() : '',
        stdoutOverflow: stdout.overflowed,
        log: log.toString(),
        outputBytes: log.totalBytes,
        timedOut,
        aborted,
        durationMs: Math.round(performance.now() - started),
      });
    });
  });
}

function isDirectory(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}
