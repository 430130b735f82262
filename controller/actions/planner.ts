// The `actions` runner mode's planner: terraform runs on GitHub Actions, not here. The controller
// still synthesizes the base and the head (in its sandbox) to find the affected stacks, their
// configuration diff and the stack order, and the policy check still reads that synth; then, per
// affected stack, it dispatches plan-apply.yml (mode plan) on the branch the pull request targets (the
// workflow file is read from that branch, never from the head) and waits for the run's workflow_run
// event. A successful run's artifact holds the plan summary (`plan.json`), which becomes the stack's
// terraform plan; any other outcome leaves the stack with its configuration diff and the reason, as a
// failed terraform plan does under the local runner. Applying a stack dispatches mode apply on the
// environment's branch: that run plans the commit again and applies its own plan, and its conclusion
// is the result.
import type { PlannedPullRequest, StackReport } from '../core/ports/plan-report.js';
import type { Planner, PlanRequest, PlanToApply, StackApplied } from '../core/ports/planner.js';
import { MAX_SUMMARY_BYTES, parsePlanSummary, SUMMARY_FILE } from './plan-summary.js';
import type { WorkflowClient } from './workflow-client.js';
import { PLAN_APPLY_WORKFLOW, RunWaitError, type CompletedRun, type RunInputs, type WorkflowRunWaits } from './workflow-runs.js';

/** The file the apply job of plan-apply.yml uploads, and how much of its end becomes the run's log. */
const APPLY_FILE = 'apply.txt';
const APPLY_LOG_BYTES = 16 * 1024;

export interface ActionsPlannerOptions {
  /** Synthesizes both sides and finds the affected stacks: a plan service without a terraform runner. */
  readonly synth: Planner;
  /** The waits the workflow_run handler settles. */
  readonly waits: WorkflowRunWaits;
  /** The workflow client of a repository, acting with an installation token. */
  readonly clientFor: (owner: string, repo: string, token: string) => WorkflowClient;
  /** How long a plan run may take from its dispatch (queueing included). @default 3600000 (1 h) */
  readonly planTimeoutMs?: number;
  /** How long an apply run may take from its dispatch (it waits for earlier applies of the environment). @default 10800000 (3 h) */
  readonly applyTimeoutMs?: number;
  /** @default () => new Date() */
  readonly clock?: () => Date;
}

/** The artifact plan-apply.yml uploads for a run of these inputs. */
export const artifactName = (i: RunInputs): string => `${i.mode}-${i.env}-${i.stack}-${i.sha}`;

/** Owner and name of the repository a clone URL points at (`…/<owner>/<repo>[.git]`). */
export function repositoryOfUrl(repoUrl: string): { owner: string; repo: string } {
  const m = /\/([^/]+)\/([^/]+?)(?:\.git)?\/?$/.exec(new URL(repoUrl).pathname);
  if (!m) throw new Error(`the actions runner cannot tell the repository of ${new URL(repoUrl).origin}/…: expected …/<owner>/<repo>.git`);
  return { owner: decodeURIComponent(m[1]!), repo: decodeURIComponent(m[2]!) };
}

const ended = (run: CompletedRun): string => `workflow run ${run.htmlUrl} ended ${run.conclusion ?? 'without a conclusion'}`;

export class ActionsPlanner implements Planner {
  readonly synthesizes: boolean;

  constructor(private readonly opts: ActionsPlannerOptions) {
    this.synthesizes = opts.synth.synthesizes;
  }

  async plan(req: PlanRequest): Promise<PlannedPullRequest> {
    const synthesized = await this.opts.synth.plan(req);
    const stacks = await Promise.all(synthesized.report.stacks.map((stack) => this.planStack(req, stack)));
    req.signal?.throwIfAborted();
    const finishedAt = (this.opts.clock ?? (() => new Date()))().toISOString();
    return { ...synthesized, report: { ...synthesized.report, stacks, finishedAt } };
  }

  async planToApply(req: PlanRequest): Promise<PlanToApply> {
    const { report } = await this.plan(req);
    return {
      report,
      apply: (stack, signal) => this.applyStack(req, stack, signal),
      // nothing is saved here: each apply run plans and applies on its own runner
      discard: async () => undefined,
    };
  }

  private async planStack(req: PlanRequest, stack: StackReport): Promise<StackReport> {
    if (stack.status === 'removed') return stack;
    const synthOnly = (unavailableReason: string): StackReport => ({ ...stack, source: 'synth', unavailableReason });
    const inputs: RunInputs = { env: req.environment, stack: stack.name, sha: req.headSha, mode: 'plan' };
    let run: CompletedRun;
    try {
      run = await this.run(req, inputs, this.opts.planTimeoutMs ?? 3_600_000, req.signal);
    } catch (e) {
      req.signal?.throwIfAborted();
      return synthOnly(reasonOf(e));
    }
    if (run.conclusion !== 'success') return synthOnly(ended(run));
    try {
      const bytes = await this.client(req).artifactFile(run.id, artifactName(inputs), SUMMARY_FILE, MAX_SUMMARY_BYTES);
      if (!bytes) return synthOnly(`workflow run ${run.htmlUrl} left no ${SUMMARY_FILE} in its artifact ${artifactName(inputs)}`);
      const summary = parsePlanSummary(bytes, stack.name);
      if ('problem' in summary) return synthOnly(`workflow run ${run.htmlUrl}: ${summary.problem}`);
      return { name: stack.name, status: stack.status, source: 'terraform', summary };
    } catch (e) {
      return synthOnly(`the plan of workflow run ${run.htmlUrl} could not be read: ${reasonOf(e)}`);
    }
  }

  private async applyStack(req: PlanRequest, stack: string, signal?: AbortSignal): Promise<StackApplied> {
    const inputs: RunInputs = { env: req.environment, stack, sha: req.headSha, mode: 'apply' };
    const run = await this.run(req, inputs, this.opts.applyTimeoutMs ?? 10_800_000, signal).catch((e: unknown) => {
      throw Object.assign(new Error(reasonOf(e)), { reason: reasonOf(e) });
    });
    const log = await this.applyLog(req, run, inputs);
    if (run.conclusion !== 'success') throw Object.assign(new Error(ended(run)), { reason: ended(run), logTail: log });
    return { stack, log };
  }

  /** The end of the apply's output from its artifact, else the run's address. */
  private async applyLog(req: PlanRequest, run: CompletedRun, inputs: RunInputs): Promise<string> {
    const head = `${ended(run)}\n`;
    try {
      const bytes = await this.client(req).artifactFile(run.id, artifactName(inputs), APPLY_FILE, 64 * 1024 * 1024);
      return bytes ? head + bytes.subarray(Math.max(0, bytes.length - APPLY_LOG_BYTES)).toString('utf8') : head;
    } catch {
      return head;
    }
  }

  private client(req: PlanRequest): WorkflowClient {
    if (!req.authToken) throw new Error('the actions runner needs an installation token to call GitHub');
    const { owner, repo } = repositoryOfUrl(req.repoUrl);
    return this.opts.clientFor(owner, repo, req.authToken);
  }

  /** Dispatches a run of `inputs` and waits for its workflow_run.completed (the wait starts before the dispatch, so a quick run is not missed). */
  private async run(req: PlanRequest, inputs: RunInputs, timeoutMs: number, signal?: AbortSignal): Promise<CompletedRun> {
    if (!req.baseRef)
      throw new Error(`the actions runner dispatches ${PLAN_APPLY_WORKFLOW} on a branch, and this ${inputs.mode} names none`);
    const client = this.client(req);
    const { owner, repo } = repositoryOfUrl(req.repoUrl);
    const stop = new AbortController();
    const done = this.opts.waits.wait({
      owner,
      repo,
      inputs,
      since: (this.opts.clock ?? (() => new Date()))(),
      timeoutMs,
      signal: signal ? AbortSignal.any([signal, stop.signal]) : stop.signal,
    });
    try {
      await client.dispatch(req.baseRef, inputs);
    } catch (e) {
      stop.abort(new Error('the dispatch failed'));
      await done.catch(() => undefined);
      throw new Error(`${PLAN_APPLY_WORKFLOW} could not be dispatched on ${req.baseRef}: ${reasonOf(e)}`, { cause: e });
    }
    return done;
  }
}

function reasonOf(e: unknown): string {
  if (e instanceof RunWaitError) return e.reason;
  const reason = (e as { reason?: unknown }).reason;
  return typeof reason === 'string' ? reason : ((e as Error).message ?? String(e)).split('\n')[0]!;
}
