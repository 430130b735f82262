// Runs the pull request's code (dependency install, synth) in a child process whose environment is
// built from an allow-list: none of the controller's credentials can be read from it.
// This scrubs the environment only; file system and network isolation need a separate user or container.
import { spawn } from 'node:child_process';

/** Variables copied from the controller's environment when set. */
export const INHERITED_VARIABLES: readonly string[] = ['PATH', 'LANG', 'LC_ALL', 'TZ'];

/** Names that never reach the sandbox, not even as explicit extra variables. */
export const DENIED_VARIABLES: readonly RegExp[] = [
  /^GITHUB_/,
  /^GH_/,
  /^PRIVATE_KEY/,
  /^WEBHOOK_SECRET$/,
  /^APP_ID$/,
  /^CLIENT_SECRET$/,
  /^AWS_/,
  /^ARM_/,
  /^AZURE_/,
  /^GOOGLE_/,
  /^TF_VAR_/,
  /^TF_TOKEN_/,
  /^NPM_TOKEN$/,
  /^NODE_AUTH_TOKEN$/,
];

export function isDeniedVariable(name: string): boolean {
  return DENIED_VARIABLES.some((re) => re.test(name.toUpperCase()));
}

export interface SandboxEnvOptions {
  /** HOME of the child: a directory of the controller's choosing, so `~/.aws`, `~/.config/gh` are not the operator's. */
  readonly home: string;
  /** @default the controller's TMPDIR, else /tmp */
  readonly tmpDir?: string;
  /** Extra variables (e.g. `npm_config_registry`). A denied name throws. @default none */
  readonly extra?: Readonly<Record<string, string>>;
  /** The environment to inherit the allow-listed variables from. @default process.env */
  readonly from?: NodeJS.ProcessEnv;
}

export function sandboxEnv(opts: SandboxEnvOptions): Record<string, string> {
  const from = opts.from ?? process.env;
  const denied = Object.keys(opts.extra ?? {}).filter(isDeniedVariable);
  if (denied.length > 0) {
    throw new Error(
      `sandbox environment: ${denied.join(', ')} may not be passed to the pull request's code (denied: ${DENIED_VARIABLES.map((r) => r.source).join(' ')})`,
    );
  }
  const env: Record<string, string> = {};
  for (const name of INHERITED_VARIABLES) {
    const value = from[name];
    if (value !== undefined) env[name] = value;
  }
  env.PATH ??= '/usr/local/bin:/usr/bin:/bin';
  env.HOME = opts.home;
  env.TMPDIR = opts.tmpDir ?? from.TMPDIR ?? '/tmp';
  env.CI = '1';
  env.NO_COLOR = '1';
  env.CHECKPOINT_DISABLE = '1';
  return { ...env, ...(opts.extra ?? {}) };
}

export interface SandboxRunOptions {
  readonly cwd: string;
  /** The complete environment of the child (build it with sandboxEnv). */
  readonly env: Readonly<Record<string, string>>;
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** Characters of combined output kept (the tail). @default 16000 */
  readonly logLimit?: number;
  /** Between SIGTERM and SIGKILL of the process group. @default 5000 */
  readonly killGraceMs?: number;
}

export interface SandboxResult {
  readonly exitCode: number | null;
  /** The tail of stdout and stderr, interleaved as they arrived. */
  readonly log: string;
  readonly timedOut: boolean;
  readonly aborted: boolean;
  readonly durationMs: number;
}

/** Spawns `command args` in its own process group (so a timeout stops its children too). Never rejects for a failing command. */
export function runSandboxed(command: string, args: readonly string[], opts: SandboxRunOptions): Promise<SandboxResult> {
  const limit = opts.logLimit ?? 16_000;
  const started = performance.now();
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: opts.cwd, env: opts.env, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let log = '';
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
    const collect = (chunk: Buffer) => {
      log += chunk.toString('utf8');
      if (log.length > 2 * limit) log = log.slice(-limit);
    };
    child.stdout.on('data', collect);
    child.stderr.on('data', collect);
    child.on('error', (e) => {
      clearTimeout(timer);
      opts.signal?.removeEventListener('abort', onAbort);
      reject(new Error(`cannot run ${command}: ${e.message}`));
    });
    child.on('close', (code) => {
      clearTimeout(timer);
      if (killTimer) clearTimeout(killTimer);
      opts.signal?.removeEventListener('abort', onAbort);
      resolve({ exitCode: code, log: log.slice(-limit), timedOut, aborted, durationMs: Math.round(performance.now() - started) });
    });
  });
}

/** The last meaningful line of a log, for a one-line reason. */
export function lastLine(log: string): string | undefined {
  const lines = log
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^at /.test(l));
  return lines.at(-1);
}
