// The `gitops/branch-policy` check: branch names, the (head → base) pair of the environment files
// read at the BASE commit, and the "based on the trunk" rule via the compare API. Every failure
// is a failing check whose text says what to do; nothing here throws on bad input.
import { formatProblem } from '../../environments/config.js';
import { escapeText } from '../comment/escape.js';
import type { Environment } from '../../environments/schema.js';
import { loadEnvironmentsAt } from './config-at-base.js';
import { evaluateBranchRules, type BranchVerdict } from '../rules/branch-rules.js';
import { validateBranchName } from '../rules/branch-name.js';
import { branchesNotToCarry, evaluateBasedOnTrunk, findTrunkRule, firstParentChain, mustBeBasedOnTrunk } from '../rules/based-on-trunk.js';
import { BRANCH_RULES_CHECK } from './check-names.js';
import { errorLine, fitText, fitTitle } from '../comment/limits.js';
import { shortSha, type PullRequestRef, type RepoSession } from './ports/session.js';
import { type RepoGitHub } from './ports/github.js';

export interface PolicyOutcome {
  /** True when the pull request may proceed to a plan. */
  readonly ok: boolean;
  /** The environment the pull request plans (present when ok). */
  readonly environment?: Environment;
  readonly verdict?: BranchVerdict;
  /** The environment files at the base, when they are valid. */
  readonly environments?: readonly Environment[];
}

interface CheckBody {
  readonly ok: boolean;
  readonly title: string;
  readonly summary: string;
  readonly text?: string;
}

async function report(github: RepoGitHub, pr: PullRequestRef, body: CheckBody): Promise<void> {
  await github.createCheckRun({
    name: BRANCH_RULES_CHECK,
    headSha: pr.headSha,
    status: 'completed',
    conclusion: body.ok ? 'success' : 'failure',
    title: fitTitle(body.title),
    summary: fitText(body.summary),
    text: body.text === undefined ? undefined : fitText(body.text),
  });
}

/** Commits of `ref` that are not on `trunk`, or undefined when `ref` does not exist (404). */
async function commitsBeyond(github: RepoGitHub, trunk: string, ref: string) {
  try {
    return (await github.compareCommits(trunk, ref)).commits;
  } catch (e) {
    if ((e as { status?: number }).status === 404) return undefined;
    throw e;
  }
}

async function basedOnTrunk(github: RepoGitHub, pr: PullRequestRef, environments: readonly Environment[]): Promise<CheckBody | undefined> {
  if (!mustBeBasedOnTrunk(pr.headRef, environments)) return undefined;
  const rule = findTrunkRule(environments);
  if (rule === undefined) return undefined;
  if ('problem' in rule) return { ok: false, title: 'Environment files are ambiguous', summary: rule.problem };
  const headOnly = (await commitsBeyond(github, rule.trunk, pr.headSha)) ?? [];
  const lower: Record<string, string[]> = {};
  for (const branch of branchesNotToCarry(rule, pr.headRef, pr.baseRef, environments)) {
    const commits = await commitsBeyond(github, rule.trunk, branch);
    if (commits) lower[branch] = firstParentChain(commits.map((c) => ({ sha: c.sha, parents: c.parents ?? [] })));
  }
  const verdict = evaluateBasedOnTrunk({
    head: pr.headRef,
    trunk: rule.trunk,
    headOnlyCommits: headOnly.map((c) => c.sha),
    lowerBranchOnlyCommits: lower,
  });
  if (verdict.ok) return undefined;
  return { ok: false, title: `${pr.headRef} is not based on ${rule.trunk}`, summary: verdict.reason };
}

function allowedPairsText(verdict: BranchVerdict): string {
  return ['Allowed pairs (from the environment files of the base branch):', ...verdict.allowedPairs.map((p) => `- \`${p}\``)].join('\n');
}

/** Runs every branch rule and records the `gitops/branch-policy` check on the head commit. */
export async function checkBranchRules(session: RepoSession, pr: PullRequestRef, envDir?: string): Promise<PolicyOutcome> {
  const { github } = session;
  const nameProblems = [
    ['head', validateBranchName(pr.headRef)],
    ['base', validateBranchName(pr.baseRef)],
  ].filter((p): p is [string, string] => p[1] !== undefined);
  if (nameProblems.length > 0) {
    // The names never reach git; the check says why nothing else ran.
    await report(github, pr, {
      ok: false,
      title: 'Invalid branch name',
      // the names come from the payload: escaped, so a name cannot inject Markdown or HTML into the check
      summary: nameProblems.map(([side, problem]) => `${side}: ${escapeText(problem)}`).join('\n'),
    });
    return { ok: false };
  }

  const loaded = await loadEnvironmentsAt(github, pr.baseSha, envDir);
  if (!loaded.ok) {
    const n = loaded.problems.length;
    await report(github, pr, {
      ok: false,
      title: `${n} problem${n === 1 ? '' : 's'} in the environment files of ${pr.baseRef}`,
      summary: `The environment files at ${pr.baseRef} (${shortSha(pr.baseSha)}) are invalid, so no branch rule can be checked. Fix them on ${pr.baseRef} first.`,
      text: loaded.problems.map((p) => `- ${formatProblem(p)}`).join('\n'),
    });
    return { ok: false };
  }

  const environments = loaded.environments;
  const verdict = evaluateBranchRules({ head: pr.headRef, base: pr.baseRef, environments });
  if (!verdict.allowed) {
    await report(github, pr, {
      ok: false,
      title: `${pr.headRef} → ${pr.baseRef} is not allowed`,
      summary: verdict.reason,
      text: allowedPairsText(verdict),
    });
    return { ok: false, verdict, environments };
  }

  let trunkProblem: CheckBody | undefined;
  try {
    trunkProblem = await basedOnTrunk(github, pr, environments);
  } catch (e) {
    trunkProblem = { ok: false, title: 'Could not compare the head with the trunk', summary: errorLine(e) };
  }
  if (trunkProblem) {
    await report(github, pr, { ...trunkProblem, text: allowedPairsText(verdict) });
    return { ok: false, verdict, environments };
  }
  await report(github, pr, {
    ok: true,
    title: `${pr.headRef} → ${pr.baseRef}: ${verdict.action === 'deploy' ? 'deploys' : 'plans'} ${verdict.environment}`,
    summary: verdict.reason,
  });
  const environment = environments.find((e) => e.name === verdict.environment);
  return { ok: environment !== undefined, verdict, environments, environment };
}
