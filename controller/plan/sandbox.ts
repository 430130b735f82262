// Runs the pull request's code (dependency install, synth) in a child process whose environment is
// built from an allow-list: none of the controller's credentials can be read from it.
// This scrubs the environment only; file system and network isolation need a separate user or container.
import { runCommand, type CommandResult, type RunCommandOptions } from '../process/run.js';

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

/** Runs the command with the one process runner (see runCommand). Never rejects for a failing command. */
export const runSandboxed: (command: string, args: readonly string[], opts: SandboxRunOptions) => Promise<SandboxResult> = runCommand;

/** The last meaningful line of a log, for a one-line reason. */
export function lastLine(log: string): string | undefined {
  const lines = log
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !/^at /.test(l));
  return lines.at(-1);
}
