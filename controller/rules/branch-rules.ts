// The branching model (the README's branch table) as data: every allowed (head → base) pair is derived from the
// environment files, so renaming a branch or adding an environment needs no change here.
import { validateBranchName } from './branch-name.js';

/** The part of an environment file the branch rules read (a parsed `Environment` fits). */
export interface BranchRulesEnvironment {
  readonly name: string;
  readonly branch: string;
  /** Orders the table from the first stop to production; files without it keep their order. */
  readonly tier?: 'development' | 'staging' | 'production';
  readonly release: {
    readonly accepts: readonly string[];
    readonly allowHotfix?: boolean;
    readonly candidates?: readonly { readonly branch: string; readonly accepts: readonly string[] }[];
    readonly trunk?: boolean;
    /** Environments whose branches are rebased onto this one after it moves (back-sync). */
    readonly rebase?: readonly string[];
  };
}

export type BranchAction = 'deploy' | 'plan-only' | 'none';

/** One allowed pull request pair: heads matching `head` may target bases matching `base`. */
export interface BranchRule {
  readonly head: string;
  readonly base: string;
  /** The environment a pull request of this pair plans (and, for `deploy`, applies on merge). */
  readonly environment: string;
  readonly action: 'deploy' | 'plan-only';
  /** Which setting allows it: `release.accepts`, `release.allowHotfix`, `release.candidates` or `release.rebase`. */
  readonly source: 'accepts' | 'hotfix' | 'candidate' | 'sync';
}

export interface BranchVerdict {
  readonly allowed: boolean;
  /** The environment the pull request plans; absent when denied. */
  readonly environment?: string;
  readonly action: BranchAction;
  /** One human line: why it is allowed, or why not and which pairs are. */
  readonly reason: string;
  /** Every allowed pair, e.g. `feature/* → dev`. */
  readonly allowedPairs: string[];
}

export const HOTFIX_PATTERN = 'hotfix/*';

/** `feature/*` matches `feature/<something>` (nested parts allowed); any other pattern matches itself only. */
export function matchesBranchPattern(name: string, pattern: string): boolean {
  if (pattern.endsWith('/*')) {
    const prefix = pattern.slice(0, -1);
    return name.length > prefix.length && name.startsWith(prefix);
  }
  return name === pattern;
}

const TIER_ORDER = { development: 0, staging: 1, production: 2 } as const;

/** The environments in promotion order (development → staging → production), stable within a tier. */
export function inPromotionOrder<E extends BranchRulesEnvironment>(environments: readonly E[]): E[] {
  return [...environments].sort((a, b) => (a.tier ? TIER_ORDER[a.tier] : 0) - (b.tier ? TIER_ORDER[b.tier] : 0));
}

/** Every pair people open, in promotion order: environment branches first, then candidate branches (see also syncRules). */
export function branchRules(unordered: readonly BranchRulesEnvironment[]): BranchRule[] {
  const environments = inPromotionOrder(unordered);
  const rules: BranchRule[] = [];
  for (const env of environments) {
    for (const head of env.release.accepts) {
      rules.push({ head, base: env.branch, environment: env.name, action: 'deploy', source: 'accepts' });
    }
    if (env.release.allowHotfix && !env.release.accepts.includes(HOTFIX_PATTERN)) {
      rules.push({ head: HOTFIX_PATTERN, base: env.branch, environment: env.name, action: 'deploy', source: 'hotfix' });
    }
  }
  for (const env of environments) {
    for (const candidate of env.release.candidates ?? []) {
      for (const head of candidate.accepts) {
        rules.push({ head, base: candidate.branch, environment: env.name, action: 'plan-only', source: 'candidate' });
      }
    }
  }
  return rules;
}

/** Where back-sync puts the trunk when it cannot rebase `branch` onto it: the head of its sync pull request. */
export const SYNC_BRANCH_PREFIX = 'sync/';
export const syncBranchOf = (branch: string): string => `${SYNC_BRANCH_PREFIX}${branch}`;

/**
 * The branches rebased onto `moved` after it moves, in the order of its environment's `release.rebase`;
 * empty when `moved` is no environment's branch or rebases nothing.
 */
export function rebaseTargets(environments: readonly BranchRulesEnvironment[], moved: string): string[] {
  const env = environments.find((e) => e.branch === moved);
  return (env?.release.rebase ?? []).flatMap((name) => environments.filter((e) => e.name === name).map((e) => e.branch));
}

/**
 * The pairs of back-sync's own pull requests: `sync/<branch> → <branch>` for every branch an environment
 * rebases (`release.rebase`), deploying that branch's environment. Not listed among the pairs people open.
 */
export function syncRules(environments: readonly BranchRulesEnvironment[]): BranchRule[] {
  return environments.flatMap((env) =>
    (env.release.rebase ?? []).flatMap((name) =>
      environments
        .filter((e) => e.name === name)
        .map((target): BranchRule => ({
          head: syncBranchOf(target.branch),
          base: target.branch,
          environment: target.name,
          action: 'deploy',
          source: 'sync',
        })),
    ),
  );
}

/** Whether `head → base` is a back-sync pull request of the environment files. */
export function isSyncPair(head: string, base: string, environments: readonly BranchRulesEnvironment[]): boolean {
  return syncRules(environments).some((r) => r.head === head && r.base === base);
}

export function formatPair(rule: Pick<BranchRule, 'head' | 'base'>): string {
  return `${rule.head} → ${rule.base}`;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

/** Why nothing matched, from the base's point of view. */
function denialReason(head: string, base: string, environments: readonly BranchRulesEnvironment[], rules: readonly BranchRule[]): string {
  const pair = `${head} → ${base}`;
  const headEnv = environments.find((e) => e.branch === head);
  const headNote = headEnv ? `; ${head} is the branch of environment ${headEnv.name} and never the head of a pull request` : '';
  const baseEnv = environments.find((e) => e.branch === base);
  if (baseEnv) {
    const accepted = unique(rules.filter((r) => r.base === base).map((r) => r.head));
    return `${pair} is not allowed: ${base} (environment ${baseEnv.name}) accepts ${accepted.join(', ')} only${headNote}`;
  }
  const candidateRules = rules.filter((r) => r.source === 'candidate' && matchesBranchPattern(base, r.base));
  if (candidateRules.length > 0) {
    const first = candidateRules[0];
    const accepted = unique(candidateRules.filter((r) => r.base === first.base).map((r) => r.head));
    return `${pair} is not allowed: ${base} (a ${first.environment} candidate, ${first.base}) accepts ${accepted.join(', ')} only${headNote}`;
  }
  const envBranches = inPromotionOrder(environments)
    .map((e) => e.branch)
    .join(', ');
  const candidates = unique(rules.filter((r) => r.source === 'candidate').map((r) => r.base));
  const candidateText = candidates.length > 0 ? ` nor a candidate branch (${candidates.join(', ')})` : '';
  return `${pair} is not allowed: ${base} is neither an environment branch (${envBranches})${candidateText}`;
}

/** Checks one pull request's (head → base) pair against the branch table of the environment files. */
export function evaluateBranchRules(input: {
  readonly head: string;
  readonly base: string;
  readonly environments: readonly BranchRulesEnvironment[];
}): BranchVerdict {
  const { head, base, environments } = input;
  const rules = branchRules(environments);
  const allowedPairs = unique(rules.map(formatPair));
  const pairsText =
    allowedPairs.length > 0 ? `Allowed pairs: ${allowedPairs.join(', ')}.` : 'No pair is allowed: no environment file accepts any head.';
  const deny = (why: string): BranchVerdict => ({ allowed: false, action: 'none', reason: `${why}. ${pairsText}`, allowedPairs });

  const headProblem = validateBranchName(head);
  if (headProblem) return deny(`head ${headProblem}`);
  const baseProblem = validateBranchName(base);
  if (baseProblem) return deny(`base ${baseProblem}`);
  if (environments.length === 0) return deny('no environment files define the branch rules');
  if (head === base) return deny(`head and base are the same branch (${head})`);

  const rule = [...rules, ...syncRules(environments)].find((r) => matchesBranchPattern(base, r.base) && matchesBranchPattern(head, r.head));
  if (!rule) return deny(denialReason(head, base, environments, rules));

  const what =
    rule.action === 'deploy'
      ? `merging deploys ${rule.environment}`
      : `${base} is a ${rule.environment} candidate (${rule.base}): it plans ${rule.environment} and applies nothing`;
  const owner = rule.source === 'sync' ? environments.find((e) => e.release.rebase?.includes(rule.environment)) : undefined;
  const setting =
    owner !== undefined
      ? `back-sync of ${owner.branch} into ${base}, release.rebase`
      : { accepts: 'release.accepts', hotfix: 'release.allowHotfix', candidate: 'release.candidates', sync: 'release.rebase' }[rule.source];
  return {
    allowed: true,
    environment: rule.environment,
    action: rule.action,
    reason: `${head} → ${base} is allowed (${formatPair(rule)}, ${setting} of ${owner?.name ?? rule.environment}): ${what}.`,
    allowedPairs,
  };
}
