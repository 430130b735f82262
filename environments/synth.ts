import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { App } from 'cdktf';
import { systems } from '../modules/systems/index.js';
import { buildApp, type StackInfo } from './app.js';
import { DEFAULT_ENV_DIR, loadEnvironments } from './load.js';
import { UnknownEnvironmentError } from './config.js';

/** The commit the release stacks record: GITOPS_COMMIT_SHA, else the checkout's HEAD. */
export function resolveCommitSha(): string {
  const fromEnv = process.env.GITOPS_COMMIT_SHA;
  if (fromEnv) return fromEnv;
  try {
    return execFileSync('git', ['rev-parse', 'HEAD'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return '0000000';
  }
}

/** The version the release stacks record: GITOPS_VERSION, else package.json's version. */
export function resolveVersion(): string {
  if (process.env.GITOPS_VERSION) return process.env.GITOPS_VERSION;
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string };
  return pkg.version;
}

export interface SynthOptions {
  /** Directory of environment files. @default GITOPS_ENV_DIR, else `environments` */
  readonly envDir?: string;
  /** Only these environments. @default GITOPS_ENVS (comma separated), else all */
  readonly only?: readonly string[];
  /** Skip writing files (for listing stacks). @default false */
  readonly dryRun?: boolean;
}

/** Builds every stack into `app` and synthesizes it, unless `dryRun`. */
export function synthesize(app: App, options: SynthOptions = {}): StackInfo[] {
  const envDir = options.envDir ?? process.env.GITOPS_ENV_DIR ?? DEFAULT_ENV_DIR;
  const only = options.only ?? (process.env.GITOPS_ENVS ? process.env.GITOPS_ENVS.split(',') : undefined);
  const environments = loadEnvironments(envDir);
  const unknown = (only ?? []).filter((e) => !environments.some((env) => env.name === e));
  if (unknown.length > 0) {
    throw new UnknownEnvironmentError(
      unknown,
      environments.map((e) => e.name),
    );
  }
  const stacks = buildApp(app, environments, { systems, commitSha: resolveCommitSha(), version: resolveVersion(), only });
  if (!options.dryRun) app.synth();
  return stacks;
}
