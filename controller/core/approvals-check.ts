// The `gitops/approvals/<env>` check: CODEOWNERS read at the base, reviews on the current head only,
// counted only from people with write permission (rules/approvals.ts evaluateApprovals decides; this gathers).
// For a promotion (an environment with `release.requires`, e.g. release/* → main for prod) the same check
// shows every promotion gate (rules/promotion-gates.ts): the head's tree deployed to the required
// environment, these approvals, and a plan current for head and base; it passes only when all hold.
import { evaluateApprovals, latestReviews, ownerRequirements, type ApprovalsResult } from '../rules/approvals.js';
import { evaluatePromotion, promotionSource, type DeploymentEvidence, type PromotionVerdict } from '../rules/promotion-gates.js';
import { loadCodeownersAt, loadEnvironmentsAt } from './config-at-base.js';
import type { Environment } from '../../environments/schema.js';
import { approvalsCheckName } from './check-names.js';
import { renderPromotionCheck } from '../comment/gates.js';
import { errorLine, fitText, fitTitle } from '../comment/limits.js';
import type { CheckRunOutput } from '../comment/render.js';
import type { Deployment, Permission } from './ports/github.js';
import { fullName, type PullRequestRef, type RepoSession } from './ports/session.js';
import type { PlanRecords } from './ports/store.js';

/** How many of the required environment's newest deployments are read (each costs a request for its state). */
export const DEPLOYMENTS_READ = 30;

/** What the check reads of the store: the latest plan of a pull request for an environment. */
export type LatestPlan = Pick<PlanRecords, 'latestPlan'>;

export interface ApprovalsOutcome {
  /** The check passed: the approvals are met and, for a promotion, every other gate holds too. */
  readonly satisfied: boolean;
  readonly approvedBy: string[];
  /** For a promotion: every gate's verdict. */
  readonly gates?: PromotionVerdict['gates'];
}

/** Evaluates the approvals (and, for a promotion, every gate) `environment` asks for and records the check on the head commit. */
export async function checkApprovals(
  session: RepoSession,
  pr: PullRequestRef,
  environment: Environment,
  plans: LatestPlan,
): Promise<ApprovalsOutcome> {
  const approvals = await gatherApprovals(session, pr, environment);
  const requires = promotionSource(environment, pr);
  const promotion = requires === undefined ? undefined : await evaluateGates(session, pr, environment, requires, approvals, plans);
  const satisfied = promotion?.verdict.satisfied ?? approvals.satisfied;
  const output = promotion?.output ?? { title: approvals.summary, summary: approvals.summary, text: approvals.text };
  await session.github.createCheckRun({
    name: approvalsCheckName(environment.name),
    headSha: pr.headSha,
    status: 'completed',
    conclusion: satisfied ? 'success' : 'failure',
    title: fitTitle(output.title),
    summary: fitText(output.summary),
    text: fitText(output.text),
  });
  return { satisfied, approvedBy: approvals.approvedBy, ...(promotion ? { gates: promotion.verdict.gates } : {}) };
}

/** The promotion gates of `pr` (which promotes from `requires`) and the check's output showing them. */
async function evaluateGates(
  session: RepoSession,
  pr: PullRequestRef,
  environment: Environment,
  requires: string,
  approvals: ApprovalsResult,
  plans: LatestPlan,
): Promise<{ verdict: PromotionVerdict; output: CheckRunOutput }> {
  const [headTree, listed] = await Promise.all([
    session.github.getCommitTree(pr.headSha),
    session.deployments.listDeployments(requires, undefined, DEPLOYMENTS_READ),
  ]);
  const verdict = evaluatePromotion({
    environment: environment.name,
    requires,
    headSha: pr.headSha,
    baseSha: pr.baseSha,
    headTree,
    deployments: await withTrees(session, listed, pr.headSha, headTree),
    approvals,
    plan: await plans.latestPlan(fullName(pr), pr.number, environment.name),
  });
  const output = renderPromotionCheck(verdict, {
    environment: environment.name,
    baseRef: pr.baseRef,
    headSha: pr.headSha,
    baseSha: pr.baseSha,
    approvalsText: approvals.text,
    repoUrl: pr.cloneUrl,
  });
  return { verdict, output };
}

/**
 * Evaluates the promotion gates again when something they read changed outside the pull request (a plan
 * finished, the required environment was deployed); does nothing and returns undefined for a pull request that
 * is no promotion, so it may be called after every plan.
 */
export async function refreshPromotionGates(
  session: RepoSession,
  pr: PullRequestRef,
  environment: Environment,
  plans: LatestPlan,
): Promise<ApprovalsOutcome | undefined> {
  if (promotionSource(environment, pr) === undefined) return undefined;
  return checkApprovals(session, pr, environment, plans);
}

/**
 * After `deployed` was applied successfully at `sha`: the promotion gates of every open pull request that
 * promotes from it (release/* → main after uat) are evaluated again, since one of them is the deployment.
 * The environments promoting from it are read at `sha`; each pull request's rules at its own base, as
 * everywhere. Returns the pull requests whose check was written; one that fails is logged, never thrown.
 */
export async function refreshPromotionsFrom(
  session: RepoSession,
  deployed: Pick<Environment, 'name'>,
  applied: { readonly sha: string; readonly cloneUrl: string },
  plans: LatestPlan,
  envDir?: string,
): Promise<number[]> {
  const { github } = session;
  const atApplied = await loadEnvironmentsAt(github, applied.sha, envDir);
  if (!atApplied.ok) {
    session.log.error({ environment: deployed.name, sha: applied.sha }, 'promotion gates not refreshed: environment files invalid');
    return [];
  }
  const bases = [...new Set(atApplied.environments.filter((e) => e.release.requires === deployed.name).map((e) => e.branch))];
  const atBase = new Map<string, Promise<Environment | undefined>>();
  const environmentAt = (baseRef: string, baseSha: string) => {
    if (!atBase.has(baseSha))
      atBase.set(
        baseSha,
        loadEnvironmentsAt(github, baseSha, envDir).then((l) => (l.ok ? l.environments.find((e) => e.branch === baseRef) : undefined)),
      );
    return atBase.get(baseSha)!;
  };
  const refreshed: number[] = [];
  for (const base of bases) {
    for (const info of await github.listOpenPullRequests(base)) {
      const pr: PullRequestRef = {
        owner: github.owner,
        repo: github.repo,
        number: info.number,
        headRef: info.headRef,
        headSha: info.headSha,
        baseRef: info.baseRef,
        baseSha: info.baseSha,
        cloneUrl: applied.cloneUrl,
        author: info.author,
      };
      try {
        const environment = await environmentAt(info.baseRef, info.baseSha);
        if (!environment || promotionSource(environment, pr) !== deployed.name) continue;
        await checkApprovals(session, pr, environment, plans);
        refreshed.push(info.number);
      } catch (e) {
        session.log.error({ pr: info.number, err: errorLine(e) }, 'promotion gates not refreshed');
      }
    }
  }
  return refreshed;
}

/**
 * The required environment's deployments with their latest state, and the tree of each successful one until
 * one holds the head's files (auto_inactive leaves one success per environment, so that is one or two reads).
 */
async function withTrees(session: RepoSession, deployments: readonly Deployment[], headSha: string, headTree: string | undefined) {
  const trees = new Map<string, string | undefined>();
  const out: DeploymentEvidence[] = [];
  let found = false;
  for (const d of deployments) {
    const evidence: DeploymentEvidence = { sha: d.sha, ...(d.state ? { state: d.state } : {}) };
    if (found || d.state !== 'success' || d.sha === headSha || headTree === undefined) {
      out.push(evidence);
      found ||= d.state === 'success' && d.sha === headSha;
      continue;
    }
    if (!trees.has(d.sha)) trees.set(d.sha, await session.github.getCommitTree(d.sha));
    const tree = trees.get(d.sha);
    out.push(tree !== undefined ? { ...evidence, tree } : evidence);
    found = tree === headTree;
  }
  return out;
}

async function gatherApprovals(session: RepoSession, pr: PullRequestRef, environment: Environment): Promise<ApprovalsResult> {
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

  return evaluateApprovals({
    requiredApprovals: environment.release.requiredApprovals,
    codeowners: codeowners?.text,
    changedFiles,
    reviews,
    permissions,
    teamMembers,
    headSha: pr.headSha,
    author: pr.author,
  });
}
