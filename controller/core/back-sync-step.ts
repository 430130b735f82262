// After an environment branch with `release.rebase` (main) moved: rebase the branches it names onto
// it (the BackSync port), and for every branch left untouched (a conflict, or a lease lost to pushes
// that kept coming) open or update ONE pull request that brings the trunk in by merge: head
// `sync/<branch>` (pointed at the trunk, moved forward only, so a person's resolution there is
// never overwritten), labelled `sync-conflict`, the CODEOWNERS owners of the conflicting files asked
// to review. A branch that holds the trunk again (synced, or up to date) has its open sync pull
// request closed with a comment saying so. Every push is recorded before it is made (SyncPushes), so
// the push webhook it causes is applied as the controller's own. Nothing here throws: what failed is
// logged and returned.
import { escapeText } from '../comment/escape.js';
import { ownerRequirements } from '../rules/approvals.js';
import { rebaseTargets, syncBranchOf, type BranchRulesEnvironment } from '../rules/branch-rules.js';
import { loadCodeownersAt } from './config-at-base.js';
import { UNTOUCHED_OUTCOMES, type BackSync, type BackSyncReport, type BranchSync, type PlannedPush } from './ports/back-sync.js';
import type { RepoGitHub } from './ports/github.js';
import { fullName, shortSha, type CoreLog } from './ports/session.js';
import type { SyncPushes } from './ports/store.js';
import type { SyncBranchUpdate, SyncRequests } from './ports/sync-requests.js';

export const SYNC_CONFLICT_LABEL = 'sync-conflict';
/** In every sync pull request's body: marks it as the controller's. */
export const SYNC_MARKER = '<!-- gitops:sync-pull-request -->';

export interface BackSyncStepDeps {
  readonly backSync: BackSync;
  readonly requests: SyncRequests;
  /** Reads CODEOWNERS at the trunk commit; names the repository the pushes are recorded for. */
  readonly github: Pick<RepoGitHub, 'getFileText' | 'owner' | 'repo'>;
  /** Where each push is recorded before it is made. @default none: back-sync's pushes apply nothing */
  readonly pushes?: Pick<SyncPushes, 'recordSyncPush'>;
  readonly log: CoreLog;
}

export interface TrunkMoved {
  /** The repository's clone URL (or a local path). */
  readonly repo: string;
  /** The installation token for git over HTTP. @default none */
  readonly authToken?: string;
  /** The branch that moved, e.g. `main`. */
  readonly branch: string;
  /** The environment files at the moved commit: whose `release.rebase` says what to rebase. */
  readonly environments: readonly BranchRulesEnvironment[];
}

export interface SyncPullRequestResult {
  readonly branch: string;
  readonly number: number;
  readonly action: 'opened' | 'updated';
  /** What became of `sync/<branch>`. */
  readonly syncBranch: SyncBranchUpdate;
  /** Owners GitHub would not ask to review. */
  readonly refusedReviewers: string[];
}

export interface BackSyncStepResult {
  /** Absent when back-sync could not run at all (see `error`) or the branch rebases nothing. */
  readonly report?: BackSyncReport;
  readonly pullRequests: SyncPullRequestResult[];
  /** The sync pull requests closed because their branch holds the trunk again. */
  readonly closed: { readonly branch: string; readonly number: number }[];
  /** Per branch (or `*` for the whole run), what could not be done. */
  readonly failures: { readonly branch: string; readonly error: string }[];
}

const message = (e: unknown) => (e instanceof Error ? e.message : String(e)).split('\n')[0];

/** Runs back-sync after `moved.branch` moved, then opens or updates the sync pull request of each branch left untouched. */
export async function syncAfterTrunkMoved(deps: BackSyncStepDeps, moved: TrunkMoved): Promise<BackSyncStepResult> {
  const branches = rebaseTargets(moved.environments, moved.branch);
  if (branches.length === 0) return { pullRequests: [], closed: [], failures: [] };
  const pushes = deps.pushes;
  const recordPush =
    pushes && ((push: PlannedPush) => pushes.recordSyncPush({ repo: fullName(deps.github), ...push, trunk: moved.branch }));
  let report: BackSyncReport;
  try {
    report = await deps.backSync({
      repo: moved.repo,
      authToken: moved.authToken,
      trunk: moved.branch,
      branches,
      ...(recordPush ? { recordPush } : {}),
    });
  } catch (e) {
    deps.log.error({ trunk: moved.branch, branches, err: message(e) }, 'back-sync failed');
    return { pullRequests: [], closed: [], failures: [{ branch: '*', error: message(e) }] };
  }
  const pullRequests: SyncPullRequestResult[] = [];
  const closed: { branch: string; number: number }[] = [];
  const failures: { branch: string; error: string }[] = [];
  for (const result of report.branches) {
    const fields = {
      trunk: report.trunk,
      trunkSha: report.trunkSha,
      branch: result.branch,
      outcome: result.outcome,
      before: result.before,
      after: result.after,
    };
    if (result.outcome === 'error') {
      deps.log.error({ ...fields, err: result.message }, 'back-sync of a branch failed');
      failures.push({ branch: result.branch, error: result.message });
      continue;
    }
    if (!UNTOUCHED_OUTCOMES.includes(result.outcome)) {
      deps.log.info(fields, result.message);
      if (report.dryRun) continue;
      try {
        const number = await closeSyncPullRequest(deps, report, result);
        if (number !== undefined) closed.push({ branch: result.branch, number });
      } catch (e) {
        deps.log.error({ ...fields, err: message(e) }, 'could not close the sync pull request');
        failures.push({ branch: result.branch, error: message(e) });
      }
      continue;
    }
    deps.log.warn({ ...fields, conflicts: result.conflicts }, result.message);
    try {
      pullRequests.push(await openSyncPullRequest(deps, report, result));
    } catch (e) {
      deps.log.error({ ...fields, err: message(e) }, 'could not open the sync pull request');
      failures.push({ branch: result.branch, error: message(e) });
    }
  }
  return { report, pullRequests, closed, failures };
}

/** Closes the open sync pull request (the controller's: it carries SYNC_MARKER) of a branch that holds the trunk again. */
async function closeSyncPullRequest(deps: BackSyncStepDeps, report: BackSyncReport, result: BranchSync): Promise<number | undefined> {
  const head = syncBranchOf(result.branch);
  const open = await deps.requests.findOpenPullRequest(head, result.branch);
  if (!open?.body.includes(SYNC_MARKER)) return undefined;
  const code = (s: string) => `\`${escapeText(s)}\``;
  const how =
    result.outcome === 'synced'
      ? `back-sync rebased ${code(result.branch)} onto ${code(report.trunk)} (${shortSha(report.trunkSha)}) and pushed it`
      : `${code(result.branch)} already contains ${code(report.trunk)} (${shortSha(report.trunkSha)})`;
  await deps.requests.closePullRequest(open.number, `${how}, so this pull request is no longer needed: closed. ${code(head)} is kept.`);
  deps.log.info({ branch: result.branch, pullRequest: open.number }, 'sync pull request closed: the branch holds the trunk again');
  return open.number;
}

async function openSyncPullRequest(deps: BackSyncStepDeps, report: BackSyncReport, result: BranchSync): Promise<SyncPullRequestResult> {
  const head = syncBranchOf(result.branch);
  const syncBranch = await deps.requests.advanceBranch(head, report.trunkSha);
  const codeowners = await loadCodeownersAt(deps.github, report.trunkSha);
  const owners = [...new Set(ownerRequirements(codeowners?.text, result.conflicts).flatMap((r) => r.owners))];
  const title = `Sync ${report.trunk} into ${result.branch}`;
  const body = syncBody(report, result, head, syncBranch, owners);
  const existing = await deps.requests.findOpenPullRequest(head, result.branch);
  const number = existing?.number ?? (await deps.requests.createPullRequest({ head, base: result.branch, title, body }));
  if (existing) await deps.requests.updatePullRequest(number, { title, body });
  await deps.requests.addLabels(number, [SYNC_CONFLICT_LABEL]);
  const refusedReviewers = await deps.requests.requestReviewers(number, reviewersOf(owners));
  if (refusedReviewers.length > 0)
    deps.log.warn({ pullRequest: number, refused: refusedReviewers }, 'some owners could not be asked to review');
  return { branch: result.branch, number, action: existing ? 'updated' : 'opened', syncBranch, refusedReviewers };
}

/** CODEOWNERS owners as review requests: `@login` a user, `@org/team` a team; e-mail owners cannot be asked. */
export function reviewersOf(owners: readonly string[]): { users: string[]; teams: string[] } {
  const users: string[] = [];
  const teams: string[] = [];
  for (const owner of owners) {
    if (!owner.startsWith('@')) continue;
    const [org, team] = owner.slice(1).split('/');
    if (team === undefined) users.push(org);
    else teams.push(team);
  }
  return { users, teams };
}

export function syncBody(
  report: BackSyncReport,
  result: BranchSync,
  head: string,
  syncBranch: SyncBranchUpdate,
  owners: readonly string[],
): string {
  const code = (s: string) => `\`${escapeText(s)}\``;
  const trunk = `${code(report.trunk)} (${shortSha(report.trunkSha)})`;
  const why =
    result.outcome === 'conflict'
      ? `rebasing ${code(result.branch)} onto it conflicts, so back-sync aborted the rebase and pushed nothing to ${code(result.branch)}.`
      : `${code(result.branch)} kept moving while back-sync pushed (its lease was refused on every attempt), so nothing was pushed to it.`;
  const lines = [
    SYNC_MARKER,
    `${trunk} moved, and ${why}`,
    '',
    `This pull request brings ${code(report.trunk)} into ${code(result.branch)} by merge. Resolve the conflicts on ${code(head)} ` +
      `(merge ${code(result.branch)} into it, or use GitHub's conflict editor), then merge it. Merging it applies ${code(result.branch)}'s environment as any merge does.`,
  ];
  if (syncBranch === 'diverged') {
    lines.push(
      '',
      `${code(head)} holds commits someone added, so it was not moved to ${trunk}: merge ${code(report.trunk)} into it again.`,
    );
  }
  if (result.conflicts.length > 0) {
    lines.push('', 'Conflicting files:', ...result.conflicts.map((f) => `- ${code(f)}`));
  }
  if (owners.length > 0) lines.push('', `Owners of these files (CODEOWNERS): ${owners.map(escapeText).join(', ')}`);
  lines.push('', `${code(result.branch)} was at ${result.before ? shortSha(result.before) : 'unknown'} when back-sync last read it.`);
  return lines.join('\n');
}
