// The `gitops/approvals/<env>` check: CODEOWNERS read at the base, reviews on the current head only,
// counted only from people with write permission (rules/approvals.ts evaluateApprovals decides; this gathers).
import { evaluateApprovals, latestReviews, ownerRequirements } from '../rules/approvals.js';
import { loadCodeownersAt } from './config-at-base.js';
import type { Environment } from '../../environments/schema.js';
import { approvalsCheckName } from './check-names.js';
import { fitText, fitTitle } from '../comment/limits.js';
import type { Permission } from './ports/github.js';
import type { PullRequestRef, RepoSession } from './ports/session.js';

export interface ApprovalsOutcome {
  readonly satisfied: boolean;
  readonly approvedBy: string[];
}

/** Evaluates the approvals `environment` asks for and records the check on the head commit. */
export async function checkApprovals(
  session: RepoSession,
  pr: PullRequestRef,
  environment: Environment,
  author?: string,
): Promise<ApprovalsOutcome> {
  const { github } = session;
  const [codeowners, changedFiles, reviews] = await Promise.all([
    loadCodeownersAt(github, pr.baseSha),
    github.listPullRequestFiles(pr.number),
    github.listReviews(pr.number),
  ]);

  // Permissions only of those whose latest review is an approval of this head: nobody else can count.
  const candidates = [...latestReviews(reviews).values()]
    .filter((r) => r.state === 'APPROVED' && r.commitId === pr.headSha)
    .map((r) => r.user);
  const permissions: Record<string, Permission> = {};
  for (const user of candidates) permissions[user] = await github.getPermission(user);

  const teams = new Set(
    ownerRequirements(codeowners?.text, changedFiles)
      .flatMap((r) => r.owners)
      .filter((o) => /^@[^/]+\/[^/]+$/.test(o)),
  );
  const teamMembers: Record<string, string[]> = {};
  for (const team of teams) {
    const [org, slug] = team.slice(1).split('/');
    const members = await github.listTeamMembers(org, slug);
    if (members) teamMembers[team] = members;
  }

  const result = evaluateApprovals({
    requiredApprovals: environment.release.requiredApprovals,
    codeowners: codeowners?.text,
    changedFiles,
    reviews,
    permissions,
    teamMembers,
    headSha: pr.headSha,
    author,
  });
  await github.createCheckRun({
    name: approvalsCheckName(environment.name),
    headSha: pr.headSha,
    status: 'completed',
    conclusion: result.satisfied ? 'success' : 'failure',
    title: fitTitle(result.summary),
    summary: fitText(result.summary),
    text: fitText(result.text),
  });
  return { satisfied: result.satisfied, approvedBy: result.approvedBy };
}
