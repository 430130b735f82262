// One pull request plan: the `gitops/plan/<env>` check (in_progress → completed), the plan record
// in the store, the planner, and the one sticky comment (found by its marker, edited in place).
// With the environment's policy settings (read at the base) the same job runs the `gitops/policy/<env>`
// check on the synth output. A newer push aborts the signal: the plan stops, and its checks and record
// say "superseded". The record holds what a restarted controller needs to complete the checks of a plan
// this process did not finish and to plan again (core/recovery.ts): installation, refs, check run ids.
import type { PolicySettings } from '../../modules/policy/engine.js';
import { repositoryWebUrl } from '../comment/escape.js';
import { errorLine, fitText, fitTitle } from '../comment/limits.js';
import { renderCheckRunOutput, renderPlanComment } from '../comment/render.js';
import { COMMENT_MARKER, type PolicyLine } from '../comment/templates.js';
import { planCheckName, policyCheckName } from './check-names.js';
import { PolicyCheck, type PolicyCheckOutcome } from './policy-check.js';
import type { CheckRunConclusion } from './ports/github.js';
import type { PlanReport } from './ports/plan-report.js';
import type { Planner } from './ports/planner.js';
import { fullName, shortSha, type CoreLog, type PullRequestRef, type RepoSession } from './ports/session.js';
import type { PlanRecords } from './ports/store.js';

export interface PlanDeps {
  readonly store: PlanRecords;
  readonly planner: Planner;
}

export interface RunPlanOptions {
  /**
   * `policy` of the target environment's file at the BASE. With it, and a planner that hands back its synth
   * output (PlanService does), the gitops/policy/<env> check runs in the same job. @default no policy check
   */
  readonly policy?: PolicySettings;
  /** Environment files inside the repository, handed to the planner's synth. @default environments */
  readonly envDir?: string;
}

/** What the store keeps of a finished plan: the report, and the policy line the comment showed. */
type StoredPlan = PlanReport & { readonly policy?: PolicyLine };

export type PlanOutcome =
  | { readonly status: 'planned'; readonly report: PlanReport; readonly planId: number; readonly policy?: PolicyCheckOutcome }
  | { readonly status: 'superseded'; readonly by: string }
  | { readonly status: 'failed'; readonly reason: string };

/** Why the signal was aborted, in words for a check run. */
function supersededBy(signal: AbortSignal): string {
  const reason = signal.reason as { by?: string; message?: string } | undefined;
  return reason?.by ? `superseded by the ${reason.by}` : (reason?.message ?? 'cancelled');
}

/** Neutral when some stack has only a synth diff (terraform plan unavailable): reviewers must look, nothing is broken. */
export function planConclusion(report: PlanReport): CheckRunConclusion {
  return report.stacks.some((s) => s.source === 'synth') ? 'neutral' : 'success';
}

async function findStickyComment(session: RepoSession, pr: PullRequestRef) {
  const author = await session.botLogin?.();
  return session.github.findComment(pr.number, COMMENT_MARKER, author ? { author } : undefined);
}

/**
 * The sticky comment still shows the previous plan while this one runs: mark it out of date.
 * Only a completed previous plan (one with a report) can be re-rendered.
 */
async function markPreviousStale(session: RepoSession, pr: PullRequestRef, environment: string, store: PlanRecords): Promise<void> {
  const previous = await store.latestPlan(fullName(pr), pr.number, environment);
  if (!previous?.summaryJson || (previous.headSha === pr.headSha && previous.baseSha === pr.baseSha)) return;
  const existing = await findStickyComment(session, pr);
  if (!existing) return;
  const stale = {
    ...(previous.headSha !== pr.headSha ? { headMoved: pr.headSha } : {}),
    ...(previous.baseSha !== pr.baseSha ? { baseMoved: pr.baseSha } : {}),
  };
  const stored = JSON.parse(previous.summaryJson) as StoredPlan;
  await session.github.updateComment(existing.id, renderPlanComment(stored, { repoUrl: pr.cloneUrl, stale, policy: stored.policy }));
}

async function upsertStickyComment(session: RepoSession, pr: PullRequestRef, body: string): Promise<void> {
  const existing = await findStickyComment(session, pr);
  if (existing) await session.github.updateComment(existing.id, body);
  else await session.github.createComment(pr.number, body);
}

/** A write whose failure must not turn a finished plan into a failed one: logged instead of thrown. */
async function logFailure(log: CoreLog, what: string, write: () => Promise<void>): Promise<void> {
  try {
    await write();
  } catch (e) {
    log.error({ err: errorLine(e) }, what);
  }
}

/** Plans `environment` for the pull request's head against its base; a failed plan is reported, not thrown. */
export async function runPlan(
  session: RepoSession,
  pr: PullRequestRef,
  environment: string,
  signal: AbortSignal,
  deps: PlanDeps,
  options: RunPlanOptions = {},
): Promise<PlanOutcome> {
  const { github, log } = session;
  const name = planCheckName(environment);
  const record = {
    repo: fullName(pr),
    pr: pr.number,
    environment,
    headSha: pr.headSha,
    baseSha: pr.baseSha,
    headRef: pr.headRef,
    baseRef: pr.baseRef,
    cloneUrl: pr.cloneUrl,
    ...(pr.author ? { author: pr.author } : {}),
    ...(session.installationId !== undefined ? { installationId: session.installationId } : {}),
  };
  const planner = deps.planner;
  const policySettings = options.policy && planner.synthesizes ? options.policy : undefined;

  if (signal.aborted) {
    // Superseded before it started: say so on the old head and spend nothing more on it.
    const by = supersededBy(signal);
    await github.createCheckRun({
      name,
      headSha: pr.headSha,
      status: 'completed',
      conclusion: 'cancelled',
      title: fitTitle(`Not planned: ${by}`),
      summary: `The plan of ${shortSha(pr.headSha)} was not run: ${by}.`,
    });
    if (policySettings) {
      await github.createCheckRun({
        name: policyCheckName(environment),
        headSha: pr.headSha,
        status: 'completed',
        conclusion: 'cancelled',
        title: fitTitle(`Not checked: ${by}`),
        summary: `The policy of ${shortSha(pr.headSha)} was not checked: ${by}.`,
      });
    }
    await deps.store.savePlan({ ...record, status: 'superseded', reason: by });
    return { status: 'superseded', by };
  }

  await markPreviousStale(session, pr, environment, deps.store);
  const planId = await deps.store.savePlan({ ...record, status: 'running' });
  await deps.store.supersedePlans(record.repo, pr.number, environment, planId);
  const checkId = await github.createCheckRun({
    name,
    headSha: pr.headSha,
    status: 'in_progress',
    externalId: String(planId),
    title: `Planning ${environment} at ${shortSha(pr.headSha)}`,
    summary: `Synthesizing ${shortSha(pr.headSha)} and its base ${shortSha(pr.baseSha)}, then planning the affected stacks of ${environment}.`,
  });
  await deps.store.recordPlanChecks(planId, { planCheckId: checkId });
  const policyCheck = policySettings ? await PolicyCheck.start(github, pr, environment, policySettings, String(planId)) : undefined;
  if (policyCheck) await deps.store.recordPlanChecks(planId, { policyCheckId: policyCheck.id });
  let policy: PolicyCheckOutcome | undefined;
  let policyCompleted = false;

  try {
    const authToken = await session.authToken();
    const request = {
      repoUrl: pr.cloneUrl,
      authToken,
      headSha: pr.headSha,
      baseSha: pr.baseSha,
      baseRef: pr.baseRef,
      environment,
      signal,
      ...(options.envDir !== undefined ? { envDir: options.envDir } : {}),
    };
    const planned = await planner.plan(request);
    signal.throwIfAborted();
    const report = planned.report;
    if (policyCheck) policy = policyCheck.evaluate(planned);
    const web = repositoryWebUrl(pr.cloneUrl);
    await upsertStickyComment(
      session,
      pr,
      renderPlanComment(report, {
        repoUrl: pr.cloneUrl,
        checkRunUrl: web ? `${web}/runs/${checkId}` : undefined,
        policy: policy?.line,
        policyCheckRunUrl: web && policyCheck ? `${web}/runs/${policyCheck.id}` : undefined,
      }),
    );
    // Recorded before the check completes: a merge the green check allows (auto-merge fires at once) finds
    // this plan as the reviewed one. Should completing the check fail, the record is failed below.
    const stored: StoredPlan = policy ? { ...report, policy: policy.line } : report;
    await deps.store.updatePlan(planId, { status: 'planned', summaryJson: JSON.stringify(stored) });
    const output = renderCheckRunOutput(report, { repoUrl: pr.cloneUrl });
    await github.updateCheckRun(checkId, {
      status: 'completed',
      conclusion: planConclusion(report),
      title: fitTitle(output.title),
      summary: fitText(output.summary),
      text: fitText(output.text),
    });
    if (policyCheck && policy) {
      const finished = policy;
      policyCompleted = true;
      await logFailure(log, 'policy check could not be completed', () => policyCheck.complete(finished, pr.cloneUrl));
    }
    log.info(
      { pr: pr.number, environment, head: pr.headSha, stacks: report.stacks.length, ...(policy ? { policy: policy.conclusion } : {}) },
      'plan finished',
    );
    return { status: 'planned', report, planId, ...(policy ? { policy } : {}) };
  } catch (e) {
    if (signal.aborted) {
      const by = supersededBy(signal);
      await deps.store.updatePlan(planId, { status: 'superseded', reason: by });
      if (policyCheck && !policyCompleted) await logFailure(log, 'policy check could not be cancelled', () => policyCheck.cancel(by));
      await github.updateCheckRun(checkId, {
        status: 'completed',
        conclusion: 'cancelled',
        title: fitTitle(`Stopped: ${by}`),
        summary: `The plan of ${shortSha(pr.headSha)} was stopped: ${by}.`,
      });
      return { status: 'superseded', by };
    }
    // Runner and install errors carry a clean one-line `reason`; anything else gives its first line.
    const reason = (e as { reason?: string }).reason ?? errorLine(e);
    log.error({ pr: pr.number, environment, head: pr.headSha, err: errorLine(e) }, 'plan failed');
    await deps.store.updatePlan(planId, { status: 'failed', reason });
    if (policyCheck && !policyCompleted) {
      // evaluated before a later write failed: the policy result stands; otherwise there was no synth output
      const evaluated = policy;
      await logFailure(log, 'policy check could not be completed', () =>
        evaluated ? policyCheck.complete(evaluated, pr.cloneUrl) : policyCheck.notChecked(reason),
      );
    }
    await github.updateCheckRun(checkId, {
      status: 'completed',
      conclusion: 'failure',
      title: fitTitle(`Plan failed: ${reason}`),
      summary: fitText(`The plan of ${shortSha(pr.headSha)} for ${environment} failed: ${reason}`),
    });
    return { status: 'failed', reason };
  }
}
