// Runs the pull request's code (dependency install, synth): in the bubblewrap sandbox (its own PID, user,
// mount and network namespaces, another uid, read-only inputs, one writable output, limits), or, only
// where none can be made and the operator set GITOPS_UNSAFE_SANDBOX=1, as a plain subprocess. Either way
// its environment is built from an allow-list: none of the controller's credentials is in it.
import { mkdirSync } from 'node:fs';
import { type SandboxHost, type SandboxSpec } from '../process/bubblewrap.js';
import { findExecutable } from '../process/executable.js';
import { runCommand, type CommandResult, type RunCommandOptions } from '../process/run.js';
import {
  inputsForProgram,
  prepareOutputDir,
  runInSandbox,
  sandboxReachProblem,
  type SandboxDecision,
  type SandboxProbe,
} from '../process/sandbox.js';

export { sandboxReachProblem };

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

export type SandboxRunOptions = RunCommandOptions;
export type SandboxResult = CommandResult;

/** Runs the command with the one process runner (see runCommand), unsandboxed. Never rejects for a failing command. */
export const runSandboxed: (command: string, args: readonly string[], opts: SandboxRunOptions) => Promise<SandboxResult> = runCommand;

/** How pull request code runs: in the sandbox, or (the operator's explicit choice) as a scrubbed subprocess. */
export type Isolation = { readonly sandboxed: true; readonly host: SandboxHost } | { readonly sandboxed: false };

/** A scrubbed subprocess running as the controller's own user: only with GITOPS_UNSAFE_SANDBOX=1, and in tests of that path. */
export const UNSANDBOXED: Isolation = { sandboxed: false };

/** The isolation a sandbox decision allows; undefined when pull request code may not run at all. */
export function isolationOf(decision: SandboxDecision, probe: SandboxProbe): Isolation | undefined {
  if (!decision.run) return undefined;
  return decision.sandboxed && probe.ok ? { sandboxed: true, host: probe.host } : UNSANDBOXED;
}

/**
 * What to run and what it may touch, as the sandbox takes it (only the inputs and the output are mounted, the
 * inputs read-only; network for the dependency install only), except that `command` may be a name looked up on
 * `env.PATH`. `env` is built with sandboxEnv; the sandbox sets its own HOME and TMPDIR.
 */
export interface PullRequestCommand extends Omit<SandboxSpec, 'limits'> {
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
}

/** Creates the output directory of pull request code, owned by the sandbox's uid when it runs as another one. */
export function prepareOutput(isolation: Isolation, dir: string): string {
  if (isolation.sandboxed) return prepareOutputDir(dir, isolation.host);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/** Runs pull request code as `isolation` says. Rejects only when it cannot start; a failing command resolves. */
export async function runPullRequestCode(isolation: Isolation, cmd: PullRequestCommand): Promise<SandboxResult> {
  const opts = { timeoutMs: cmd.timeoutMs, signal: cmd.signal };
  if (!isolation.sandboxed) return runSandboxed(cmd.command, cmd.args, { ...opts, cwd: cmd.cwd, env: cmd.env });
  const file = findExecutable(cmd.command, cmd.env.PATH, cmd.cwd);
  if (file === undefined) throw new Error(`cannot run ${cmd.command}: not found on PATH ${cmd.env.PATH ?? '(unset)'}`);
  const inputs = [...new Set([...cmd.inputs, ...inputsForProgram(file)])];
  const unreachable = [...inputs, cmd.output].map((p) => sandboxReachProblem(p, isolation.host)).find(Boolean);
  if (unreachable) throw new Error(unreachable);
  const spec = { command: file, args: cmd.args, cwd: cmd.cwd, inputs, output: cmd.output, env: cmd.env, network: cmd.network };
  return runInSandbox(spec, isolation.host, opts);
}

/** The last meaningful line of a log, for a one-line reason. */
export function lastLine(log: string): string | undefined {
  const lines = log
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^at /.test(l));
  return lines.at(-1);
}
