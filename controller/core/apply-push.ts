// What a push to a branch applies. The environment files are read at the branch's tip BEFORE the push
// (the merged pull request's base, as everywhere else in the controller): a pull request cannot decide
// which environment its own merge deploys to. The pushed commit's pull request is the merged one whose
// merge commit it is (GitHub's "pull requests of a commit"); the plan it must equal is that pull
// request's last completed plan of its head for the environment. A push that is no merge commit is
// applied only when it is back-sync's own (the store holds the record back-sync made before pushing
// exactly this before → after; a person's push of the same shape has none): the branch rebased onto the
// trunk, whose changes were reviewed and applied there, so its re-plan is applied as it is. A push that
// creates or deletes a branch, or goes to a branch no environment deploys from, applies nothing.
import type { Environment } from '../../environments/schema.js';
import { applyReplies } from '../comment/apply.js';
import { isApprover } from './apply-approver.js';
import { runApply, type ApplyDeps, type ApplyOutcome, type ApplyRequest } from './apply-run.js';
import { loadEnvironmentsAt } from './config-at-base.js';
import type { PullRequestInfo } from './ports/github.js';
import { shortSha, type RepoSession } from './ports/session.js';
import type { PlanRecord } from './ports/store.js';

/** A push to a branch, from its webhook. */
export interface PushRef {
  readonly owner: string;
  readonly repo: string;
  readonly cloneUrl: string;
  /** The branch name (without refs/heads/). */
  readonly branch: string;
  readonly before: string;
  readonly after: string;
  /** Who pushed (for a merged pull request, who merged it). @default unknown */
  readonly sender?: string;
}

const ZERO_SHA = /^0+$/;

export type PushOutcome = { readonly action: 'ignored'; readonly reason: string } | ({ readonly action: 'applied' } & ApplyOutcome);

/** The environment deployed from `branch`, by the environment files at `ref`; undefined when none. */
export async function environmentOfBranch(
  session: RepoSession,
  branch: string,
  ref: string,
  envDir?: string,
): Promise<{ environment?: Environment; problem?: string }> {
  const loaded = await loadEnvironmentsAt(session.github, ref, envDir);
  if (!loaded.ok) return { problem: `the environment files at ${shortSha(ref)} are not valid: ${loaded.problems.length} problem(s)` };
  return { environment: loaded.environments.find((e) => e.branch === branch) };
}

/** The last completed plan of the pull request's head for the environment: what the reviewers saw. */
async function reviewedPlan(
  deps: ApplyDeps,
  repo: string,
  pr: number,
  environment: string,
  headSha: string,
): Promise<PlanRecord | undefined> {
  const plans = await deps.store.plansOfHead(repo, pr, environment, headSha);
  return plans.filter((p) => p.status === 'planned' && p.summaryJson).at(-1);
}

/** Applies the environment its branch deploys to, when a push moved that branch. */
export async function applyPush(session: RepoSession, push: PushRef, signal: AbortSignal, deps: ApplyDeps): Promise<PushOutcome> {
  if (ZERO_SHA.test(push.before) || ZERO_SHA.test(push.after))
    return { action: 'ignored', reason: 'the push created or deleted the branch' };
  const { environment, problem } = await environmentOfBranch(session, push.branch, push.before, deps.envDir);
  if (problem) {
    session.log.error({ branch: push.branch, before: push.before }, problem);
    return { action: 'ignored', reason: problem };
  }
  if (!environment) return { action: 'ignored', reason: `no environment deploys from ${push.branch}` };
  const repo = `${push.owner}/${push.repo}`;
  const merged = (await session.github.pullRequestsOfCommit(push.after)).find(
    (p: PullRequestInfo) => p.merged && p.mergeCommitSha === push.after && p.baseRef === push.branch,
  );
  const reviewed = merged ? await reviewedPlan(deps, repo, merged.number, environment.name, merged.headSha) : undefined;
  const backSync = merged
    ? undefined
    : await deps.store.takeSyncPush({ repo, branch: push.branch, before: push.before, after: push.after });
  const request: ApplyRequest = {
    owner: push.owner,
    repo: push.repo,
    cloneUrl: push.cloneUrl,
    environment,
    sha: push.after,
    baseSha: push.before,
    ...(merged ? { pr: merged.number } : {}),
    ...(reviewed ? { reviewed } : {}),
    ...(backSync ? { backSync } : {}),
    ...(push.sender ? { actor: push.sender } : {}),
    noReviewReason: merged
      ? `pull request #${merged.number} has no completed plan of its head ${shortSha(merged.headSha)} for ${environment.name}`
      : `${shortSha(push.after)} is neither the merge commit of a pull request into ${push.branch} nor a push back-sync made: only reviewed changes are applied`,
  };
  return { action: 'applied', ...(await runApply(session, request, signal, deps)) };
}

/** What `/apply` on a merged pull request does. */
export interface ApplyCommandInput {
  readonly owner: string;
  readonly repo: string;
  readonly cloneUrl: string;
  readonly pr: number;
  readonly sender: string;
}

/** Queues an apply as a job of its own (serialized with the pushes to the same branch). */
export type QueueApply = (session: RepoSession, request: ApplyRequest) => void;

/**
 * `/apply` by an approver on a merged pull request whose merge commit is still its branch's tip: applies
 * the plan last shown on the pull request (the merged commit's plan when it differed, else the reviewed
 * plan of its head), if the merged commit still plans exactly so. Replies say why when it does not run.
 */
export async function applyCommand(
  session: RepoSession,
  input: ApplyCommandInput,
  deps: ApplyDeps,
  queue: QueueApply,
): Promise<{ queued: boolean; reply: string }> {
  const { github } = session;
  const refused = (reason: string) => ({ queued: false, reply: applyReplies.refused({ sender: input.sender, reason }) });
  const pr = await github.getPullRequest(input.pr);
  if (!pr.merged || !pr.mergeCommitSha) return refused('only a merged pull request can be applied');
  const { environment, problem } = await environmentOfBranch(session, pr.baseRef, pr.baseSha, deps.envDir);
  if (problem) return refused(problem);
  if (!environment) return refused(`no environment deploys from ${pr.baseRef}`);
  if (!(await isApprover(session, environment.name, input.sender, pr.baseRef, deps.envDir))) {
    return { queued: false, reply: applyReplies.notApprover({ sender: input.sender, command: '/apply', environment: environment.name }) };
  }
  const tip = await github.compareCommits(pr.mergeCommitSha, pr.baseRef);
  if (tip.status !== 'identical') {
    return refused(
      `${pr.baseRef} has moved on since ${shortSha(pr.mergeCommitSha)} was merged; the later commits are applied on their own`,
    );
  }
  const repo = `${input.owner}/${input.repo}`;
  const shown =
    (await reviewedPlan(deps, repo, pr.number, environment.name, pr.mergeCommitSha)) ??
    (await reviewedPlan(deps, repo, pr.number, environment.name, pr.headSha));
  if (!shown) return refused(`this pull request has no plan for ${environment.name} to apply`);
  queue(session, {
    owner: input.owner,
    repo: input.repo,
    cloneUrl: input.cloneUrl,
    environment,
    sha: pr.mergeCommitSha,
    // the base the difference was planned against; else the pull request's base, as its reviewed plan had
    baseSha: shown.headSha === pr.mergeCommitSha ? shown.baseSha : pr.baseSha,
    pr: pr.number,
    reviewed: shown,
    actor: input.sender,
  });
  return { queued: true, reply: applyReplies.queued({ sender: input.sender, environment: environment.name, sha: pr.mergeCommitSha }) };
}
