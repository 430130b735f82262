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
  /** Which setting allows it: `release.accepts`, `release.allowHotfix` or `release.candidates`. */
  readonly source: 'accepts' | 'hotfix' | 'candidate';
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

/** Every allowed pair, in promotion order: environment branches first, then candidate branches. */
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

  const rule = rules.find((r) => matchesBranchPattern(base, r.base) && matchesBranchPattern(head, r.head));
  if (!rule) return deny(denialReason(head, base, environments, rules));

  const what =
    rule.action === 'deploy'
      ? `merging deploys ${rule.environment}`
      : `${base} is a ${rule.environment} candidate (${rule.base}): it plans ${rule.environment} and applies nothing`;
  const setting = rule.source === 'hotfix' ? 'release.allowHotfix' : rule.source === 'candidate' ? 'release.candidates' : 'release.accepts';
  return {
    allowed: true,
    environment: rule.environment,
    action: rule.action,
    reason: `${head} → ${base} is allowed (${formatPair(rule)}, ${setting} of ${rule.environment}): ${what}.`,
    allowedPairs,
  };
}
