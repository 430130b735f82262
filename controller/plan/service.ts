// Plans a pull request for one environment: check out base and head, link dependencies, synth both in
// the sandbox, diff the stacks, and run terraform plan on each affected stack of the head.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { probeSandbox, sandboxDecision, type SandboxDecision, type SandboxProbe } from '../process/sandbox.js';
import { TerraformAbortedError, TerraformError } from '../runner/errors.js';
import { DependencyCache, type Installer } from './deps.js';
import { affectedStacks, diffStacks } from './diff.js';
import { assertNoProblems, environmentProblem, jobIdProblem, repoDirProblem, repoUrlProblem, shaProblem } from './inputs.js';
import { isolationOf, sandboxEnv, UNSANDBOXED, type Isolation } from './sandbox.js';
import { removeTree } from './tree-digest.js';
import { synthWorkTree, type SynthOutputLimits } from './synth.js';
import { readStackOrder, StackOrderFileError } from './stack-order-file.js';
import type { PlannedPullRequest, PlanReport, StackDiff, StackReport, SynthStacks } from '../core/ports/plan-report.js';
import type { Planner, PlanRequest, PlanToApply } from '../core/ports/planner.js';
import type { PlanResult, StackRunner, TerraformCredentials } from '../core/ports/terraform.js';
import { WorkTrees, type WorkTree } from './worktrees.js';

/**
 * What the service needs of the terraform runner: plans, removing a plan's files (the plan file holds
 * sensitive values), and for applies, applying a saved plan.
 */
export type StackPlanner = Pick<StackRunner, 'plan'> & Partial<Pick<StackRunner, 'apply'>> & { discard?(plan: PlanResult): Promise<void> };

/** The plan fails without running the pull request's code: no sandbox can be made, and the operator did not accept that. */
export class SandboxRefusedError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'SandboxRefusedError';
  }
}

export interface PlanServiceOptions {
  /** GITOPS_WORK_DIR: cached clones, dependency cache, job directories and the sandbox's HOME/TMPDIR. */
  readonly workDir: string;
  /** Plans each affected stack. @default none: every stack gets the synth diff only */
  readonly runner?: StackPlanner;
  /** @default npm ci (NPM_CI) */
  readonly installer?: Installer;
  /** Extra sandbox variables such as `npm_config_registry`; credential-like names are refused. @default none */
  readonly sandboxExtraEnv?: Readonly<Record<string, string>>;
  /** @default 300000 */
  readonly synthTimeoutMs?: number;
  /** @default 600000 */
  readonly installTimeoutMs?: number;
  /** A git command silent for this long is stopped. @default 300000 */
  readonly gitTimeoutMs?: number;
  /** Keep the job directory (work trees, synth output) for debugging. @default false */
  readonly keepJobDirs?: boolean;
  /** @default () => new Date() */
  readonly clock?: () => Date;
  /** Whether bubblewrap can make a sandbox here. @default probeSandbox(), once */
  readonly sandboxProbe?: SandboxProbe;
  /** `1` runs pull request code without a sandbox where none can be made. @default process.env.GITOPS_UNSAFE_SANDBOX */
  readonly unsafeSandbox?: string;
  /** @default SYNTH_OUTPUT_LIMITS (32 MiB per stack, 128 MiB in all) */
  readonly synthOutputLimits?: SynthOutputLimits;
}

/** What removeLeftovers found and removed. */
export interface Leftovers {
  /** Job directories (work trees, synth output) under <workDir>/jobs. */
  readonly jobDirs: number;
  /** Work trees the cached clones still listed. */
  readonly workTrees: number;
  /** The terraform runner's per-stack job directories (copies of the stacks, saved plan files). */
  readonly terraformJobDirs: number;
  /** Staging and discarded directories of dependency installs. */
  readonly dependencyInstalls: number;
  /** Git credential files of fetches (each holds an installation token). */
  readonly credentialFiles: number;
}

/** Names in a directory; none when it does not exist. */
const entries = (dir: string): string[] => (existsSync(dir) ? readdirSync(dir) : []);

const REMOVED_REASON = 'the stack is removed at head: a removed stack is not planned (its resources stay until its state is destroyed)';
const NO_RUNNER_REASON = 'no terraform runner is configured';

/** The order of `stacks` the head's synth recorded; none, with a warning, when it cannot be read (and none when no manifest exists). */
async function orderOf(outDir: string, stacks: readonly string[], warnings: string[]): Promise<PlanReport['order']> {
  try {
    return (await readStackOrder(outDir, stacks)).waves;
  } catch (e) {
    if (!(e instanceof StackOrderFileError)) throw e;
    if (!e.missing) warnings.push(`the order of the stacks is not shown: manifest.json ${e.problem}`);
    return undefined;
  }
}

export class PlanService implements Planner {
  /** The synthesized stacks of both sides come back with every plan (the policy check reads them). */
  readonly synthesizes = true;

  /** Whether pull request code runs here, and how, with a one-line reason (for the operator). */
  readonly sandbox: SandboxDecision;

  private readonly workDir: string;
  private readonly workTrees: WorkTrees;
  private readonly deps: DependencyCache;
  private readonly env: Record<string, string>;
  private readonly isolation: Isolation | undefined;

  constructor(private readonly opts: PlanServiceOptions) {
    this.workDir = resolve(opts.workDir);
    const probe = opts.sandboxProbe ?? probeSandbox();
    this.sandbox = sandboxDecision(probe, { GITOPS_UNSAFE_SANDBOX: opts.unsafeSandbox ?? process.env.GITOPS_UNSAFE_SANDBOX });
    this.isolation = isolationOf(this.sandbox, probe);
    const home = join(this.workDir, 'sandbox', 'home');
    const tmpDir = join(this.workDir, 'sandbox', 'tmp');
    this.env = sandboxEnv({ home, tmpDir, extra: opts.sandboxExtraEnv });
    this.workTrees = new WorkTrees({ workDir: this.workDir, timeoutMs: opts.gitTimeoutMs });
    this.deps = new DependencyCache({
      workDir: this.workDir,
      installer: opts.installer,
      env: this.env,
      isolation: this.isolation ?? UNSANDBOXED, // unused when refused: no plan gets as far as an install
      timeoutMs: opts.installTimeoutMs,
    });
  }

  /**
   * Removes what jobs of a controller that stopped without finishing them left behind: job directories,
   * the cached clones' records of their work trees, and the terraform runner's job directories under
   * `terraformJobs`. Call it at start, before any job runs: it removes every job directory there is.
   */
  removeLeftovers(opts: { readonly terraformJobs?: string } = {}): Leftovers {
    const jobsDir = join(this.workDir, 'jobs');
    const jobDirs = entries(jobsDir).length;
    rmSync(jobsDir, { recursive: true, force: true });
    let workTrees = 0;
    const reposDir = join(this.workDir, 'repos');
    for (const clone of entries(reposDir).map((name) => join(reposDir, name))) {
      const listed = () => entries(join(clone, 'worktrees')).length;
      const before = listed();
      if (before === 0) continue;
      try {
        execFileSync('git', ['worktree', 'prune'], {
          cwd: clone,
          // the controller's own HOME, as for every git command of the work trees: the sandbox's HOME is written by pull request code
          env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? '/tmp', GIT_CONFIG_NOSYSTEM: '1', LANG: 'C' },
          stdio: 'ignore',
          timeout: 60_000,
        });
      } catch {
        // a clone git cannot read is fetched into again by the next job; its stale records do no harm
      }
      workTrees += before - listed();
    }
    let terraformJobDirs = 0;
    if (opts.terraformJobs !== undefined) {
      const root = resolve(opts.terraformJobs);
      for (const stack of entries(root)) terraformJobDirs += entries(join(root, stack)).length;
      rmSync(root, { recursive: true, force: true });
    }
    return {
      jobDirs,
      workTrees,
      terraformJobDirs,
      dependencyInstalls: this.deps.removeLeftovers(),
      credentialFiles: this.workTrees.removeLeftovers(),
    };
  }

  /** The plan's report alone (what `gitops` and the tests read). */
  async planPullRequest(req: PlanRequest): Promise<PlanReport> {
    return (await this.plan(req)).report;
  }

  /** The plan, with the base and head synth output (for the policy check, which reads the configuration). */
  async plan(req: PlanRequest): Promise<PlannedPullRequest> {
    return (await this.planJob(req, false)).planned;
  }

  /** The plan with its saved plans kept, to apply exactly them; the caller discards them when its job ends. */
  async planToApply(req: PlanRequest): Promise<PlanToApply> {
    const runner = this.opts.runner;
    if (!runner?.apply) throw new Error('planToApply: no terraform runner that applies is configured');
    const { planned, plans } = await this.planJob(req, true);
    const discard = async () => {
      await Promise.allSettled(plans.splice(0).map((p) => runner.discard?.(p)));
    };
    return {
      report: planned.report,
      discard,
      apply: async (stack, signal) => {
        const saved = plans.find((p) => p.stack === stack);
        if (!saved)
          throw Object.assign(new Error(`${stack} has no saved plan to apply`), { reason: `${stack} has no saved plan to apply` });
        const applied = await runner.apply!(saved, {
          jobId: req.jobId,
          signal,
          ...(req.credentials ? { credentials: req.credentials } : {}),
        });
        return { stack, log: applied.log };
      },
    };
  }

  private async planJob(req: PlanRequest, keep: boolean): Promise<{ planned: PlannedPullRequest; plans: PlanResult[] }> {
    const clock = this.opts.clock ?? (() => new Date());
    const startedAt = clock().toISOString();
    assertNoProblems('planPullRequest', [
      repoUrlProblem('repoUrl', req.repoUrl),
      shaProblem('headSha', req.headSha),
      shaProblem('baseSha', req.baseSha),
      environmentProblem('environment', req.environment),
      req.envDir === undefined ? undefined : repoDirProblem('envDir', req.envDir),
      req.jobId === undefined ? undefined : jobIdProblem('jobId', req.jobId),
    ]);
    req.signal?.throwIfAborted();
    const isolation = this.isolation;
    if (isolation === undefined) throw new SandboxRefusedError(this.sandbox.reason);
    const jobId = req.jobId ?? randomUUID();
    const jobDir = join(this.workDir, 'jobs', jobId);
    if (existsSync(jobDir)) throw new Error(`planPullRequest: job ${jobId} already has a directory (${jobDir}); job ids must be unique`);
    mkdirSync(jobDir, { recursive: true });
    chmodSync(join(this.workDir, 'jobs'), 0o711); // the sandbox's uid passes through to its own job's directories only
    mkdirSync(this.env.HOME, { recursive: true });
    mkdirSync(this.env.TMPDIR, { recursive: true });
    const trees: WorkTree[] = [];
    const plans: PlanResult[] = [];
    const warnings: string[] = isolation.sandboxed ? [] : [this.sandbox.reason];
    let kept = false;
    try {
      const side = async (name: 'head' | 'base', sha: string): Promise<SynthStacks> => {
        const tree = await this.workTrees.checkout({
          repoUrl: req.repoUrl,
          authToken: req.authToken,
          sha,
          dir: join(jobDir, name),
          signal: req.signal,
        });
        trees.push(tree);
        const deps = await this.deps.link(tree.dir, req.signal);
        const discarded =
          deps.discarded && `the cached dependencies of this lockfile were discarded and installed again: ${deps.discarded}`;
        if (discarded && !warnings.includes(discarded)) warnings.push(discarded); // head and base share one install
        return synthWorkTree({
          dir: tree.dir,
          isolation,
          inputs: [deps.nodeModules],
          limits: this.opts.synthOutputLimits,
          environment: req.environment,
          commitSha: sha,
          outDir: join(jobDir, `out-${name}`),
          envDir: req.envDir,
          env: this.env,
          timeoutMs: this.opts.synthTimeoutMs,
          signal: req.signal,
        });
      };
      const [head, base] = await Promise.allSettled([side('head', req.headSha), side('base', req.baseSha)]);
      req.signal?.throwIfAborted();
      if (head.status === 'rejected') throw head.reason;
      let baseStacks: SynthStacks = {};
      if (base.status === 'fulfilled') baseStacks = base.value;
      else {
        const reason = (base.reason as { reason?: string }).reason ?? (base.reason as Error).message;
        warnings.push(
          `base ${req.baseSha.slice(0, 7)} did not synthesize ${req.environment} (${reason}): every stack is planned and its synth diff shown as added`,
        );
      }
      const affected = affectedStacks(diffStacks(baseStacks, head.value), req.environment);
      const outHead = join(jobDir, 'out-head', 'stacks');
      const stacks = await Promise.all(
        affected.map((diff) =>
          this.planStack(diff, outHead, jobId, plans, keep ? { credentials: req.credentials } : 'untrusted', req.signal),
        ),
      );
      const order = await orderOf(
        join(jobDir, 'out-head'),
        affected.filter((d) => d.status !== 'removed').map((d) => d.stack),
        warnings,
      );
      const report: PlanReport = {
        environment: req.environment,
        headSha: req.headSha,
        baseSha: req.baseSha,
        stacks,
        ...(order && { order }),
        warnings,
        startedAt,
        finishedAt: clock().toISOString(),
      };
      kept = keep;
      return { planned: { report, synthesized: { head: head.value, base: base.status === 'fulfilled' ? base.value : undefined } }, plans };
    } finally {
      await Promise.allSettled(trees.map((t) => this.workTrees.remove(t)));
      // Saved plans hold sensitive values in clear: they go with the job, unless an apply keeps them (and discards them itself).
      if (!kept) await Promise.allSettled(plans.map((p) => this.opts.runner?.discard?.(p)));
      if (!this.opts.keepJobDirs) await removeTree(jobDir);
    }
  }

  private async planStack(
    diff: StackDiff,
    outHead: string,
    jobId: string,
    plans: PlanResult[],
    trust: 'untrusted' | { readonly credentials?: TerraformCredentials },
    signal?: AbortSignal,
  ): Promise<StackReport> {
    const synthOnly = (unavailableReason: string): StackReport => ({
      name: diff.stack,
      status: diff.status,
      source: 'synth',
      synthDiff: diff,
      unavailableReason,
    });
    if (diff.status === 'removed') return synthOnly(REMOVED_REASON);
    if (!this.opts.runner) return synthOnly(NO_RUNNER_REASON);
    try {
      const result = await this.opts.runner.plan(
        { name: diff.stack, dir: join(outHead, diff.stack) },
        {
          jobId,
          signal,
          // a pull request's configuration is planned in the sandbox and never applied; an apply plans the
          // merged commit of the environment branch, reviewed, outside it, with the plan credentials
          ...(trust === 'untrusted' ? { untrusted: true } : trust.credentials ? { credentials: trust.credentials } : {}),
        },
      );
      plans.push(result);
      return { name: diff.stack, status: diff.status, source: 'terraform', summary: result.summary };
    } catch (e) {
      if (e instanceof TerraformAbortedError || !(e instanceof TerraformError)) throw e;
      return synthOnly(e.reason);
    }
  }
}
