// The one way the controller runs git: simple-git with an explicit environment (no system
// configuration, no prompt), a timeout, an abort signal, and messages that never echo a token.
// An installation token reaches git only as an http.extraHeader in a 0600 configuration file
// (GIT_CONFIG_GLOBAL) that exists while the commands needing it run. It is never in a process's
// environment or command line (readable in /proc), in .git/config, in a log, or anywhere a sandbox mounts.
import { randomUUID } from 'node:crypto';
import { chmodSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';

export interface GitOptions {
  /** The directory git runs in. */
  readonly baseDir: string;
  /** A git command producing no output for this long is stopped. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** The token a message must never show (replaced by ***). @default none */
  readonly token?: string;
  /** A configuration file from `withGitCredentials`: git's global configuration. @default none */
  readonly configFile?: string;
  /** `name=value` settings passed as `-c` to every command. @default none */
  readonly config?: readonly string[];
  /** Exit codes besides 0 that answer rather than fail (`merge-tree` exits 1 on a conflict). @default none */
  readonly acceptExitCodes?: readonly number[];
}

/** git in `baseDir`; with `configFile`, that file is its global configuration. */
export function gitIn(opts: GitOptions): SimpleGit {
  const env: Record<string, string> = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: process.env.HOME ?? '/tmp',
    GIT_TERMINAL_PROMPT: '0',
    GIT_CONFIG_NOSYSTEM: '1',
    LANG: 'C',
  };
  const allowEnvironment = ['GIT_TERMINAL_PROMPT', 'GIT_CONFIG_NOSYSTEM'];
  if (opts.configFile) {
    env.GIT_CONFIG_GLOBAL = opts.configFile;
    allowEnvironment.push('GIT_CONFIG_GLOBAL');
  }
  const { token } = opts;
  return simpleGit({
    baseDir: opts.baseDir,
    abort: opts.signal,
    timeout: { block: opts.timeoutMs },
    config: [...(opts.config ?? [])],
    allowEnvironment,
    // GIT_CONFIG_GLOBAL names the controller's own credentials file, and `config` holds the caller's own
    // settings (core.hooksPath=/dev/null turns hooks off), nothing a payload chose
    unsafe: {
      allowUnsafeConfigPaths: opts.configFile !== undefined,
      allowUnsafeHooksPath: opts.config?.some((c) => c.startsWith('core.hooksPath=')) === true,
    },
    // git prints nothing secret, but a message must never echo a token that slipped into a URL
    errors: (error, result) => {
      if (result.exitCode === 0 || opts.acceptExitCodes?.includes(result.exitCode)) return undefined;
      const text = Buffer.concat(result.stdErr).toString('utf8') || (error instanceof Error ? error.message : String(error ?? ''));
      return new Error(token ? text.split(token).join('***') : text);
    },
  }).env(env);
}

/**
 * Runs `fn` with a git configuration file (in `credentialsDir`, 0600) that sends `token` as GitHub's
 * Basic x-access-token header; without a token `fn` gets no file. The file is removed when `fn` settles.
 */
export async function withGitCredentials<T>(
  credentialsDir: string,
  token: string | undefined,
  fn: (configFile?: string) => Promise<T>,
): Promise<T> {
  if (!token) return fn();
  mkdirSync(credentialsDir, { recursive: true, mode: 0o700 });
  chmodSync(credentialsDir, 0o700);
  const file = join(credentialsDir, `${randomUUID()}.gitconfig`);
  const basic = Buffer.from(`x-access-token:${token}`).toString('base64');
  writeFileSync(file, `[http]\n\textraHeader = Authorization: Basic ${basic}\n`, { mode: 0o600, flag: 'wx' });
  try {
    return await fn(file);
  } finally {
    rmSync(file, { force: true });
  }
}

/** The first non-blank line of a git message. */
export function firstLine(text: string): string {
  return (
    text
      .split('\n')
      .find((l) => l.trim() !== '')
      ?.trim() ?? 'git failed'
  );
}
