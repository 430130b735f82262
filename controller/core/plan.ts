// One pull request plan: the `gitops/plan/<env>` check (in_progress → completed), the plan record
// in the store, C2's PlanService, and the one sticky comment (found by its marker, edited in place).
// A newer push aborts the signal: the plan stops, and its check and record say "superseded".
import { COMMENT_MARKER, renderCheckRunOutput, renderPlanComment, repositoryWebUrl } from '../comment/index.js';
import type { PlanReport } from '../plan/types.js';
import { errorLine, fitText, fitTitle, planCheckName } from './check-text.js';
import {
  fullName,
  shortSha,
  type CheckConclusion,
  type Planner,
  type PlanRecords,
  type PullRequestRef,
  type RepoSession,
} from './ports.js';

export interface PlanDeps {
  readonly store: PlanRecords;
  readonly planner: Planner;
}

export type PlanOutcome =
  | { readonly status: 'planned'; readonly report: PlanReport; readonly planId: number }
  | { readonly status: 'superseded'; readonly by: string }
  | { readonly status: 'failed'; readonly reason: string };

/** Why the signal was aborted, in words for a check run. */
function supersededBy(signal: AbortSignal): string {
  const reason = signal.reason as { by?: string; message?: string } | undefined;
  return reason?.by ? `superseded by the ${reason.by}` : (reason?.message ?? 'cancelled');
}

/** Neutral when some stack has only a synth diff (terraform plan unavailable): reviewers must look, nothing is broken. */
export function planConclusion(report: PlanReport): CheckConclusion {
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
  const previous = store.latestPlan(fullName(pr), pr.number, environment);
  if (!previous?.summaryJson || (previous.headSha === pr.headSha && previous.baseSha === pr.baseSha)) return;
  const existing = await findStickyComment(session, pr);
  if (!existing) return;
  const stale = {
    ...(previous.headSha !== pr.headSha ? { headMoved: pr.headSha } : {}),
    ...(previous.baseSha !== pr.baseSha ? { baseMoved: pr.baseSha } : {}),
  };
  const report = JSON.parse(previous.summaryJson) as PlanReport;
  await session.github.updateComment(existing.id, renderPlanComment(report, { repoUrl: pr.cloneUrl, stale }));
}

async function upsertStickyComment(session: RepoSession, pr: PullRequestRef, body: string): Promise<void> {
  const existing = await findStickyComment(session, pr);
  if (existing) await session.github.updateComment(existing.id, body);
  else await session.github.createComment(pr.number, body);
}

/** Plans `environment` for the pull request's head against its base; a failed plan is reported, not thrown. */
export async function runPlan(
  session: RepoSession,
  pr: PullRequestRef,
  environment: string,
  signal: AbortSignal,
  deps: PlanDeps,
): Promise<PlanOutcome> {
  const { github, log } = session;
  const name = planCheckName(environment);
  const record = { repo: fullName(pr), pr: pr.number, environment, headSha: pr.headSha, baseSha: pr.baseSha };

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
    deps.store.savePlan({ ...record, status: 'superseded' });
    return { status: 'superseded', by };
  }

  await markPreviousStale(session, pr, environment, deps.store);
  const planId = deps.store.savePlan({ ...record, status: 'running' });
  deps.store.supersedePlans(record.repo, pr.number, environment, planId);
  const checkId = await github.createCheckRun({
    name,
    headSha: pr.headSha,
    status: 'in_progress',
    externalId: String(planId),
    title: `Planning ${environment} at ${shortSha(pr.headSha)}`,
    summary: `Synthesizing ${shortSha(pr.headSha)} and its base ${shortSha(pr.baseSha)}, then planning the affected stacks of ${environment}.`,
  });

  try {
    const authToken = await session.authToken();
    const report = await deps.planner.planPullRequest({
      repoUrl: pr.cloneUrl,
      authToken,
      headSha: pr.headSha,
      baseSha: pr.baseSha,
      environment,
      signal,
    });
    signal.throwIfAborted();
    const web = repositoryWebUrl(pr.cloneUrl);
    await upsertStickyComment(
      session,
      pr,
      renderPlanComment(report, { repoUrl: pr.cloneUrl, checkRunUrl: web ? `${web}/runs/${checkId}` : undefined }),
    );
    const output = renderCheckRunOutput(report, { repoUrl: pr.cloneUrl });
    await github.updateCheckRun(checkId, {
      status: 'completed',
      conclusion: planConclusion(report),
      title: fitTitle(output.title),
      summary: fitText(output.summary),
      text: fitText(output.text),
    });
    deps.store.updatePlan(planId, { status: 'planned', summaryJson: JSON.stringify(report) });
    log.info({ pr: pr.number, environment, head: pr.headSha, stacks: report.stacks.length }, 'plan finished');
    return { status: 'planned', report, planId };
  } catch (e) {
    if (signal.aborted) {
      const by = supersededBy(signal);
      deps.store.updatePlan(planId, { status: 'superseded' });
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
    deps.store.updatePlan(planId, { status: 'failed' });
    await github.updateCheckRun(checkId, {
      status: 'completed',
      conclusion: 'failure',
      title: fitTitle(`Plan failed: ${reason}`),
      summary: fitText(`The plan of ${shortSha(pr.headSha)} for ${environment} failed: ${reason}`),
    });
    return { status: 'failed', reason };
  }
}
