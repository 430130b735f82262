import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { TerraformResource, type App } from 'cdktf';
import * as stackTraceModule from 'cdktf/lib/tokens/private/stack-trace.js';
import { learnTaggableTypes } from '../modules/policy/taggable.js';
import { systems } from '../modules/systems/index.js';
import { buildApp, type StackInfo } from './app.js';
import { CrossStackReferenceError, danglingReferences, skipCrossStackPreparation } from './stack-references.js';
import { withFastResolve } from './fast-resolve.js';
import { DEFAULT_ENV_DIR, loadEnvironments } from './load.js';
import type { Environment } from './schema.js';
import { UnknownEnvironmentError } from './config.js';

/** The git directory of the checkout at `dir` (a work tree's `.git` is a file pointing at it). */
function gitDir(dir: string): string | undefined {
  const dotGit = join(dir, '.git');
  if (!existsSync(dotGit)) return undefined;
  if (statSync(dotGit).isDirectory()) return dotGit;
  const text = readFileSync(dotGit, 'utf8').trim();
  return text.startsWith('gitdir: ') ? resolve(dir, text.slice('gitdir: '.length)) : dotGit;
}

/** HEAD's commit read from the git files, without spawning git (synth runs on every push). */
export function readHeadSha(dir = process.cwd()): string | undefined {
  try {
    const git = gitDir(dir);
    if (!git) return undefined;
    const head = readFileSync(join(git, 'HEAD'), 'utf8').trim();
    if (/^[0-9a-f]{40}$/.test(head)) return head;
    const ref = /^ref: (refs\/[^\s]+)$/.exec(head)?.[1];
    if (!ref) return undefined;
    // A linked work tree keeps HEAD locally but refs in the common dir.
    const common = existsSync(join(git, 'commondir')) ? resolve(git, readFileSync(join(git, 'commondir'), 'utf8').trim()) : git;
    for (const base of [git, common]) {
      if (existsSync(join(base, ref))) return readFileSync(join(base, ref), 'utf8').trim();
    }
    const packed = existsSync(join(common, 'packed-refs')) ? readFileSync(join(common, 'packed-refs'), 'utf8') : '';
    return packed
      .split('\n')
      .find((l) => l.endsWith(` ${ref}`))
      ?.slice(0, 40);
  } catch {
    return undefined;
  }
}

/** The commit the release stacks record: GITOPS_COMMIT_SHA, else the checkout's HEAD. */
export function resolveCommitSha(): string {
  const fromEnv = process.env.GITOPS_COMMIT_SHA;
  if (fromEnv) return fromEnv;
  const fromFiles = readHeadSha();
  if (fromFiles) return fromFiles;
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
  /** The environments, already loaded and validated. @default loaded from `envDir` */
  readonly environments?: readonly Environment[];
}

export interface SynthesizedStackInfo extends StackInfo {
  /** The stack's Terraform JSON as written to cdk.tf.json (key order aside); absent on a dry run. */
  readonly json?: unknown;
}

/** Keeps what each stack's toTerraform() returns, so checks after synth need not read the files back. */
function captureTerraformJson(stacks: readonly StackInfo[]): Map<string, unknown> {
  const captured = new Map<string, unknown>();
  for (const { name, stack } of stacks) {
    const toTerraform = stack.toTerraform.bind(stack);
    stack.toTerraform = () => {
      const json = toTerraform();
      captured.set(name, json);
      return json;
    };
  }
  return captured;
}

/**
 * cdktf captures a full stack trace for every token it creates and formats it at once; that formatting
 * is most of synth's time. While the app is built, keep only the top frames (enough to find a bad token).
 */
export function withShortStackTraces<T>(fn: () => T, frames = 12): T {
  const previous = Error.prepareStackTrace;
  Error.prepareStackTrace = (error, sites) =>
    `${String(error)}\n${sites
      .slice(0, frames)
      .map((site) => `    at ${String(site)}`)
      .join('\n')}`;
  try {
    return fn();
  } finally {
    Error.prepareStackTrace = previous;
  }
}

// The CommonJS module object itself (ESM sees it as `default`), so its function can be swapped.
const stackTrace = ((stackTraceModule as { default?: unknown }).default ?? stackTraceModule) as { captureStackTrace: () => string[] };

/**
 * cdktf records where each token was created (a full stack trace per token) only to quote it when a
 * token fails to resolve. With thousands of resources that is a third of synth's time, so it is off
 * while the app is built; GITOPS_STACK_TRACES=1 turns it back on to debug such an error.
 */
export function withoutTokenCreationStacks<T>(fn: () => T): T {
  if (process.env.GITOPS_STACK_TRACES === '1') return fn();
  const original = stackTrace.captureStackTrace;
  stackTrace.captureStackTrace = () => [];
  try {
    return fn();
  } finally {
    stackTrace.captureStackTrace = original;
  }
}

/** Builds every stack into `app` and synthesizes it, unless `dryRun`. */
export function synthesize(app: App, options: SynthOptions = {}): SynthesizedStackInfo[] {
  const envDir = options.envDir ?? process.env.GITOPS_ENV_DIR ?? DEFAULT_ENV_DIR;
  const only = options.only ?? (process.env.GITOPS_ENVS ? process.env.GITOPS_ENVS.split(',') : undefined);
  const environments = options.environments ?? loadEnvironments(envDir);
  const unknown = (only ?? []).filter((e) => !environments.some((env) => env.name === e));
  if (unknown.length > 0) {
    throw new UnknownEnvironmentError(
      unknown,
      environments.map((e) => e.name),
    );
  }
  return withShortStackTraces(() =>
    withoutTokenCreationStacks(() => {
      const stacks = buildApp(app, environments, { systems, commitSha: resolveCommitSha(), version: resolveVersion(), only });
      if (options.dryRun) return stacks;
      learnTaggableTypes(app.node.findAll().filter((c): c is TerraformResource => TerraformResource.isTerraformResource(c)));
      const prepare = process.env.GITOPS_PREPARE_STACKS === '1';
      if (!prepare) skipCrossStackPreparation(stacks.map((s) => s.stack));
      const json = captureTerraformJson(stacks);
      withFastResolve(() => app.synth());
      if (!prepare) {
        const problems = stacks
          .map((s) => ({ stack: s.name, addresses: danglingReferences(json.get(s.name)) }))
          .filter((p) => p.addresses.length > 0);
        if (problems.length > 0) throw new CrossStackReferenceError(problems);
      }
      return stacks.map((s) => ({ ...s, json: json.get(s.name) }));
    }),
  );
}
