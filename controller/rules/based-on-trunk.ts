// "Based on main": a feature/release/hotfix head must not carry work that sits on a lower
// environment branch (dev, uat) but not on the trunk (main) — it would take untested work upward.
//
// Which commits count as "on dev": dev's OWN commits beyond main, i.e. its first-parent chain
// (merge commits of pull requests, squash commits, direct pushes). A feature that was merged into
// dev has its commits reachable from dev too — through the merge's second parent — and the same
// feature must still be able to open its pull request into a release branch; a head that branched
// from dev or merged dev in carries dev's first-parent commits and is caught.
import { inPromotionOrder, isSyncPair, type BranchRulesEnvironment } from './branch-rules.js';

export interface CommitNode {
  readonly sha: string;
  /** Parent SHAs, first parent first. */
  readonly parents: readonly string[];
}

/**
 * A branch's own commits beyond the trunk: the first-parent chain from its tip, within `range`
 * (the commits reachable from the branch and not from the trunk, as the compare API lists them).
 */
export function firstParentChain(range: readonly CommitNode[]): string[] {
  const bySha = new Map(range.map((c) => [c.sha, c]));
  const isParent = new Set(range.flatMap((c) => c.parents));
  // The tip is the only commit of a complete range that is nobody's parent; should the list be
  // incomplete there may be several, and every chain is taken (more denials, never fewer).
  const tips = range.filter((c) => !isParent.has(c.sha));
  const chain = new Set<string>();
  for (const tip of tips) {
    for (let c: CommitNode | undefined = tip; c && !chain.has(c.sha); c = bySha.get(c.parents[0] ?? '')) chain.add(c.sha);
  }
  return [...chain];
}

export interface TrunkRule {
  /** The branch heads must be based on (the branch of the environment with `release.trunk: true`). */
  readonly trunk: string;
  readonly environment: string;
  /** The other environments' branches: their own commits must not reach a head. */
  readonly lowerBranches: string[];
}

/** The trunk and lower branches from the environment files; `problem` when more than one claims the trunk. */
export function findTrunkRule(unordered: readonly BranchRulesEnvironment[]): TrunkRule | { problem: string } | undefined {
  const environments = inPromotionOrder(unordered);
  const trunks = environments.filter((e) => e.release.trunk);
  if (trunks.length === 0) return undefined;
  if (trunks.length > 1) {
    return { problem: `more than one environment sets release.trunk: true (${trunks.map((e) => e.name).join(', ')}); exactly one may` };
  }
  const [t] = trunks;
  return { trunk: t.branch, environment: t.name, lowerBranches: environments.filter((e) => e !== t).map((e) => e.branch) };
}

/** Environment branches are never checked (they are what the rule protects); every other head is. */
export function mustBeBasedOnTrunk(head: string, environments: readonly BranchRulesEnvironment[]): boolean {
  return !environments.some((e) => e.branch === head);
}

/**
 * The lower branches whose own commits `head` must not carry: every one, except the base of a back-sync
 * pull request (`sync/dev → dev`), whose head holds the base's commits once someone resolved the conflict.
 */
export function branchesNotToCarry(rule: TrunkRule, head: string, base: string, environments: readonly BranchRulesEnvironment[]): string[] {
  return isSyncPair(head, base, environments) ? rule.lowerBranches.filter((b) => b !== base) : rule.lowerBranches;
}

export interface BasedOnTrunkVerdict {
  readonly ok: boolean;
  readonly reason: string;
  /** Per lower branch, the head commits that are that branch's own and not on the trunk. */
  readonly smuggled: { readonly branch: string; readonly shas: string[] }[];
}

const short = (sha: string) => sha.slice(0, 7);

function listShas(shas: readonly string[]): string {
  const shown = shas.slice(0, 5).map(short).join(', ');
  return shas.length > 5 ? `${shown} and ${shas.length - 5} more` : shown;
}

/**
 * @param headOnlyCommits the commits on `head` that are not on `trunk`
 * @param lowerBranchOnlyCommits per lower branch, its own commits that are not on `trunk` (see firstParentChain)
 */
export function evaluateBasedOnTrunk(input: {
  readonly head: string;
  readonly trunk: string;
  readonly headOnlyCommits: readonly string[];
  readonly lowerBranchOnlyCommits: Readonly<Record<string, readonly string[]>>;
}): BasedOnTrunkVerdict {
  const { head, trunk, headOnlyCommits, lowerBranchOnlyCommits } = input;
  const onHead = new Set(headOnlyCommits);
  const smuggled = Object.entries(lowerBranchOnlyCommits)
    .map(([branch, shas]) => ({ branch, shas: [...new Set(shas)].filter((s) => onHead.has(s)) }))
    .filter((s) => s.shas.length > 0);
  const lower = Object.keys(lowerBranchOnlyCommits);
  if (smuggled.length === 0) {
    const n = onHead.size;
    const against = lower.length > 0 ? `none is only on ${lower.join(' or ')}` : 'there is no lower branch';
    return { ok: true, smuggled, reason: `${head} is based on ${trunk}: ${n} commit${n === 1 ? '' : 's'} ahead of ${trunk}, ${against}.` };
  }
  const parts = smuggled.map((s) => `${s.shas.length} commit${s.shas.length === 1 ? '' : 's'} of ${s.branch} (${listShas(s.shas)})`);
  return {
    ok: false,
    smuggled,
    reason:
      `${head} is not based on ${trunk}: it carries ${parts.join(' and ')} that ${trunk} does not have. ` +
      `Branch from ${trunk} and cherry-pick only your own commits, so untested work does not move up with it.`,
  };
}
