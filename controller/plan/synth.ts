// Synthesizes one environment of a work tree with the repository's own CLI, in the sandbox, and reads
// the stacks it wrote.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { assertNoProblems, environmentProblem, repoDirProblem, shaProblem } from './inputs.js';
import { lastLine, runSandboxed } from './sandbox.js';
import type { SynthStacks, TerraformJson } from '../core/ports/plan-report.js';

export interface SynthRequest {
  /** The work tree (its node_modules already linked). */
  readonly dir: string;
  readonly environment: string;
  /** Recorded by the release stack (GITOPS_COMMIT_SHA). */
  readonly commitSha: string;
  /** Absolute output directory (CDKTF_OUTDIR). */
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
  const result = await runSandboxed(req.nodeBin ?? process.execPath, args, {
    cwd: req.dir,
    env: { ...req.env, GITOPS_COMMIT_SHA: req.commitSha, GITOPS_ENVS: req.environment, CDKTF_OUTDIR: req.outDir, CHECKPOINT_DISABLE: '1' },
    timeoutMs,
    signal: req.signal,
  });
  req.signal?.throwIfAborted();
  if (result.timedOut) throw new SynthError(`synth of ${req.environment} timed out after ${timeoutMs} ms`, result.log);
  if (result.exitCode !== 0) {
    throw new SynthError(`synth of ${req.environment} exited with ${result.exitCode}: ${lastLine(result.log) ?? 'no output'}`, result.log);
  }
  return readStacks(req.outDir);
}

/** Reads `<outDir>/stacks/<name>/cdk.tf.json` of every stack. */
export function readStacks(outDir: string): SynthStacks {
  const stacksDir = join(outDir, 'stacks');
  if (!existsSync(stacksDir)) throw new SynthError(`${stacksDir} does not exist: synth wrote no stacks`, '');
  const stacks: Record<string, TerraformJson> = {};
  for (const name of readdirSync(stacksDir).sort()) {
    const file = join(stacksDir, name, 'cdk.tf.json');
    if (!existsSync(file)) continue;
    try {
      stacks[name] = JSON.parse(readFileSync(file, 'utf8')) as TerraformJson;
    } catch (e) {
      throw new SynthError(`${file} is not JSON: ${(e as Error).message}`, '');
    }
  }
  return stacks;
}
