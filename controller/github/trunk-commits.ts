// Feeds the pure "based on main" rule (rules/based-on-trunk.ts) from the compare API:
// compare(trunk, head) lists what the head carries beyond the trunk, compare(trunk, dev) and
// compare(trunk, uat) what the lower branches carry; their first-parent chains are their own work.
import {
  evaluateBasedOnTrunk,
  findTrunkRule,
  firstParentChain,
  mustBeBasedOnTrunk,
  type BasedOnTrunkVerdict,
} from '../rules/based-on-trunk.js';
import type { BranchRulesEnvironment } from '../rules/branch-policy.js';
import type { GitHubClient } from './client.js';

export interface TrunkCommitSets {
  readonly headOnlyCommits: string[];
  readonly lowerBranchOnlyCommits: Record<string, string[]>;
}

export async function collectTrunkCommitSets(
  client: Pick<GitHubClient, 'compareCommits'>,
  input: { readonly trunk: string; readonly headRef: string; readonly lowerBranches: readonly string[] },
): Promise<TrunkCommitSets> {
  const lowerRange = async (branch: string) => {
    try {
      return firstParentChain((await client.compareCommits(input.trunk, branch)).commits);
    } catch (e) {
      // A lower branch that does not exist (yet) carries nothing.
      if ((e as { status?: number }).status === 404) return [];
      throw e;
    }
  };
  const [head, ...lower] = await Promise.all([client.compareCommits(input.trunk, input.headRef), ...input.lowerBranches.map(lowerRange)]);
  return {
    headOnlyCommits: head.commits.map((c) => c.sha),
    lowerBranchOnlyCommits: Object.fromEntries(input.lowerBranches.map((b, i) => [b, lower[i]])),
  };
}

export type TrunkCheck = BasedOnTrunkVerdict & { readonly checked: boolean };

/**
 * The "based on main" check for one pull request head.
 * @param head the head branch name (decides whether the rule applies, and is named in the reason)
 * @param headSha the head commit to compare (the SHA, so a push during the check cannot change the answer)
 */
export async function checkBasedOnTrunk(
  client: Pick<GitHubClient, 'compareCommits'>,
  input: { readonly head: string; readonly headSha: string; readonly environments: readonly BranchRulesEnvironment[] },
): Promise<TrunkCheck> {
  const rule = findTrunkRule(input.environments);
  const skip = (reason: string): TrunkCheck => ({ checked: false, ok: true, smuggled: [], reason });
  if (rule === undefined) return skip('not checked: no environment sets release.trunk');
  if ('problem' in rule) return { checked: false, ok: false, smuggled: [], reason: rule.problem };
  if (!mustBeBasedOnTrunk(input.head, input.environments)) return skip(`not checked: ${input.head} is an environment branch`);
  const sets = await collectTrunkCommitSets(client, { trunk: rule.trunk, headRef: input.headSha, lowerBranches: rule.lowerBranches });
  return { checked: true, ...evaluateBasedOnTrunk({ head: input.head, trunk: rule.trunk, ...sets }) };
}
