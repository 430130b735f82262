// Synthesizes one environment of a work tree with the repository's own CLI, in the sandbox (no network,
// the work tree and its dependencies read-only, the output directory its only writable place), and reads
// the stacks it wrote, within size limits checked before anything is read.
import { existsSync } from 'node:fs';
import { lstat, opendir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setImmediate } from 'node:timers/promises';
import { assertNoProblems, environmentProblem, repoDirProblem, shaProblem } from './inputs.js';
import { lastLine, prepareOutput, runPullRequestCode, type Isolation } from './sandbox.js';
import type { SynthStacks, TerraformJson } from '../core/ports/plan-report.js';

/** The most synth output the controller reads: a larger stack or set of stacks fails the plan instead. */
export interface SynthOutputLimits {
  readonly stackBytes: number;
  readonly totalBytes: number;
}

const MiB = 1024 * 1024;

/** The largest stack of this repository is under 1 MiB; 32 MiB parse in well under a second. */
export const SYNTH_OUTPUT_LIMITS: SynthOutputLimits = { stackBytes: 32 * MiB, totalBytes: 128 * MiB };

/** Where the synth's esbuild bundles and code caches go (GITOPS_CACHE_DIR), inside its own output. */
export const SYNTH_CACHE_DIR = '.gitops-cache';

/** A stack directory name the controller accepts. */
export const STACK_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export interface SynthRequest {
  /** The work tree (its node_modules already linked). */
  readonly dir: string;
  /** How the repository's code runs: the sandbox, or (GITOPS_UNSAFE_SANDBOX=1) a scrubbed subprocess. */
  readonly isolation: Isolation;
  /** Host paths synth reads besides the work tree, such as the cached node_modules it links to. @default none */
  readonly inputs?: readonly string[];
  readonly environment: string;
  /** Recorded by the release stack (GITOPS_COMMIT_SHA). */
  readonly commitSha: string;
  /** Absolute output directory (CDKTF_OUTDIR), created here: the only place synth can write. */
  readonly outDir: string;
  /** Environment files directory inside the work tree. @default the CLI's default (environments) */
  readonly envDir?: string;
  /** The sandbox environment (sandboxEnv()); the synth variables are added to it. */
  readonly env: Readonly<Record<string, string>>;
  /** @default 300000 */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** @default the controller's own node */
  readonly nodeBin?: string;
  /** @default SYNTH_OUTPUT_LIMITS */
  readonly limits?: SynthOutputLimits;
}

export class SynthError extends Error {
  constructor(
    readonly reason: string,
    readonly logTail: string,
  ) {
    super(`synth failed: ${reason}`);
    this.name = 'SynthError';
  }
}

/** `node bin/gitops.mjs synth --env <env> --out <out>` in the work tree; resolves to the synthesized stacks. */
export async function synthWorkTree(req: SynthRequest): Promise<SynthStacks> {
  assertNoProblems('synth', [
    environmentProblem('environment', req.environment),
    shaProblem('commitSha', req.commitSha),
    req.envDir === undefined ? undefined : repoDirProblem('envDir', req.envDir),
  ]);
  const cli = join(req.dir, 'bin', 'gitops.mjs');
  if (!existsSync(cli)) throw new SynthError(`bin/gitops.mjs does not exist at ${req.commitSha.slice(0, 7)}`, '');
  const timeoutMs = req.timeoutMs ?? 300_000;
  // --skip-policy: the pull request's own gate would judge with the head's rules and waivers (and stop at the first
  // error-level finding); the controller checks the output itself with its rules and the base's waivers.
  const args = [cli, 'synth', '--env', req.environment, '--out', req.outDir, '--skip-policy', ...(req.envDir ? ['--dir', req.envDir] : [])];
  prepareOutput(req.isolation, req.outDir);
  const result = await runPullRequestCode(req.isolation, {
    command: req.nodeBin ?? process.execPath,
    args,
    cwd: req.dir,
    inputs: [req.dir, ...(req.inputs ?? [])],
    output: req.outDir,
    env: {
      ...req.env,
      GITOPS_COMMIT_SHA: req.commitSha,
      GITOPS_ENVS: req.environment,
      CDKTF_OUTDIR: req.outDir,
      CHECKPOINT_DISABLE: '1',
      GITOPS_CACHE_DIR: join(req.outDir, SYNTH_CACHE_DIR),
    },
    timeoutMs,
    signal: req.signal,
  });
  req.signal?.throwIfAborted();
  if (result.timedOut) throw new SynthError(`synth of ${req.environment} timed out after ${timeoutMs} ms`, result.log);
  if (result.exitCode !== 0) {
    throw new SynthError(`synth of ${req.environment} exited with ${result.exitCode}: ${lastLine(result.log) ?? 'no output'}`, result.log);
  }
  return readStacks(req.outDir, req.limits);
}

const mib = (bytes: number) => `${(bytes / MiB).toFixed(1)} MiB`;

/** More stack directories than any repository has; a synth that writes more fails (and is not listed further). */
const MAX_STACKS = 5000;

/**
 * The stack files under `<outDir>/stacks`, checked by lstat alone before anything is read: the output was written by
 * the pull request's code, so a stack directory or file that is a link (to a host file of its choosing) is refused.
 */
async function stackFiles(outDir: string, limits: SynthOutputLimits): Promise<{ name: string; file: string }[]> {
  const stacksDir = join(outDir, 'stacks');
  const top = await lstat(stacksDir).catch(() => undefined);
  if (top === undefined) throw new SynthError(`${stacksDir} does not exist: synth wrote no stacks`, '');
  if (!top.isDirectory()) throw new SynthError(`${stacksDir} is not a directory`, '');
  const names: string[] = [];
  for await (const entry of await opendir(stacksDir)) {
    if (names.length === MAX_STACKS) throw new SynthError(`synth wrote more than ${MAX_STACKS} entries into ${stacksDir}`, '');
    names.push(entry.name);
  }
  const found: { name: string; file: string }[] = [];
  let total = 0;
  for (const name of names.sort()) {
    const dir = await lstat(join(stacksDir, name));
    if (dir.isSymbolicLink()) throw new SynthError(`stack ${name}: ${join(stacksDir, name)} is a link, not a directory`, '');
    const file = join(stacksDir, name, 'cdk.tf.json');
    const stat = dir.isDirectory() ? await lstat(file).catch(() => undefined) : undefined;
    if (stat === undefined) continue;
    if (!stat.isFile()) throw new SynthError(`stack ${name}: ${file} is not a regular file`, '');
    if (!STACK_NAME.test(name)) throw new SynthError(`stack ${JSON.stringify(name)} is not a stack name (letters, digits, . _ -)`, '');
    if (stat.size > limits.stackBytes) {
      throw new SynthError(`stack ${name}: cdk.tf.json is ${mib(stat.size)}, over the limit of ${mib(limits.stackBytes)} per stack`, '');
    }
    total += stat.size;
    found.push({ name, file });
  }
  if (total > limits.totalBytes) {
    throw new SynthError(
      `the ${found.length} stacks' cdk.tf.json total ${mib(total)}, over the limit of ${mib(limits.totalBytes)} for all stacks`,
      '',
    );
  }
  return found;
}

/** Reads `<outDir>/stacks/<name>/cdk.tf.json` of every stack, once their sizes are known to be within `limits`. */
export async function readStacks(outDir: string, limits: SynthOutputLimits = SYNTH_OUTPUT_LIMITS): Promise<SynthStacks> {
  const stacks: Record<string, TerraformJson> = {};
  for (const { name, file } of await stackFiles(outDir, limits)) {
    const text = await readFile(file, 'utf8');
    try {
      stacks[name] = JSON.parse(text) as TerraformJson;
    } catch (e) {
      throw new SynthError(`${file} is not JSON: ${(e as Error).message}`, '');
    }
    await setImmediate(); // let requests in between stacks
  }
  return stacks;
}
