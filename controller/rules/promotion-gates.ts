// Whether a pull request may promote to an environment that names the one before it (`release.requires`,
// e.g. prod requires uat): three gates, each a verdict of its own so the check can say what is missing.
// - deployed: the head's tree (the head, or any commit with the same files) deployed successfully to the
//   required environment; only a deployment whose latest status is success counts.
// - approvals: what rules/approvals.ts decides for the head.
// - plan: the latest plan of the pull request for the environment finished, of this head against this base.
import type { DeploymentState } from '../core/ports/github.js';
import type { PlanStatus } from '../core/ports/store.js';
import type { ApprovalsResult } from './approvals.js';
import { matchesBranchPattern } from './branch-rules.js';

/** The part of an environment file the gates read (a parsed `Environment` fits). */
export interface PromotionEnvironment {
  readonly name: string;
  readonly branch: string;
  readonly release: { readonly accepts: readonly string[]; readonly requires?: string };
}

/**
 * The environment that must have deployed the head's tree before `head → base` may merge; undefined when the
 * pull request is no promotion: its base is not the environment's branch, the environment requires none, or the
 * head is not one of `release.accepts` (a `hotfix/*` head allowed by `allowHotfix` skips the lower environment).
 */
export function promotionSource(
  environment: PromotionEnvironment,
  pr: { readonly headRef: string; readonly baseRef: string },
): string | undefined {
  const { requires, accepts } = environment.release;
  if (requires === undefined || pr.baseRef !== environment.branch) return undefined;
  return accepts.some((pattern) => matchesBranchPattern(pr.headRef, pattern)) ? requires : undefined;
}

/** A deployment of the required environment as the gate sees it: its latest state and, when read, its commit's tree. */
export interface DeploymentEvidence {
  readonly sha: string;
  readonly state?: DeploymentState;
  /** undefined when not read (only successful deployments are) or the commit no longer exists. */
  readonly tree?: string;
}

/** The latest plan record of the pull request for the environment. */
export interface PlanEvidence {
  readonly status: PlanStatus;
  readonly headSha: string;
  readonly baseSha: string;
  readonly reason?: string | null;
}

export interface PromotionInput {
  /** The environment promoted to, e.g. `prod`. */
  readonly environment: string;
  /** The environment that must have deployed the head's tree, e.g. `uat`. */
  readonly requires: string;
  readonly headSha: string;
  readonly baseSha: string;
  /** The head commit's tree; undefined when the head commit could not be read. */
  readonly headTree: string | undefined;
  /** Deployments of `requires`, newest first. */
  readonly deployments: readonly DeploymentEvidence[];
  readonly approvals: Pick<ApprovalsResult, 'satisfied' | 'missing' | 'summary'>;
  /** undefined when the pull request was never planned for the environment. */
  readonly plan: PlanEvidence | undefined;
}

export type DeployedVerdict =
  | { readonly gate: 'deployed'; readonly ok: true; readonly environment: string; readonly tree: string; readonly deployedSha: string }
  | {
      readonly gate: 'deployed';
      readonly ok: false;
      readonly environment: string;
      /** `head-unreadable`: the head's tree is unknown; `none`: no successful deployment at all; `other-tree`: one of other files. */
      readonly reason: 'head-unreadable' | 'none' | 'other-tree';
      readonly tree?: string;
      /** The newest successful deployment, for `other-tree`. */
      readonly latest?: { readonly sha: string; readonly tree?: string };
    };

export interface ApprovalsVerdict {
  readonly gate: 'approvals';
  readonly ok: boolean;
  readonly summary: string;
  /** What is still needed, one line each. */
  readonly missing: readonly string[];
}

export type PlanVerdict =
  | { readonly gate: 'plan'; readonly ok: true; readonly headSha: string; readonly baseSha: string }
  | {
      readonly gate: 'plan';
      readonly ok: false;
      /** `none`: never planned; `unfinished`: pending or running; `ended`: failed, unavailable or superseded; `head-moved` / `base-moved`: planned, but of other SHAs. */
      readonly reason: 'none' | 'unfinished' | 'ended' | 'head-moved' | 'base-moved';
      readonly plan?: PlanEvidence;
      readonly headSha: string;
      readonly baseSha: string;
    };

export type GateVerdict = DeployedVerdict | ApprovalsVerdict | PlanVerdict;

export interface PromotionVerdict {
  /** Every gate holds. */
  readonly satisfied: boolean;
  /** In a fixed order: deployed, approvals, plan. */
  readonly gates: readonly [DeployedVerdict, ApprovalsVerdict, PlanVerdict];
}

const SHA = /^[0-9a-f]{40}$/;

function validate(input: PromotionInput): void {
  for (const field of ['headSha', 'baseSha'] as const) {
    if (!SHA.test(input[field]))
      throw new TypeError(`evaluatePromotion: ${field} must be a 40-character commit SHA (got ${JSON.stringify(input[field])})`);
  }
  if (input.environment === input.requires) {
    throw new RangeError(`evaluatePromotion: ${input.environment} cannot require a deployment to itself (release.requires)`);
  }
}

function deployedGate(input: PromotionInput): DeployedVerdict {
  const environment = input.requires;
  if (input.headTree === undefined) return { gate: 'deployed', ok: false, environment, reason: 'head-unreadable' };
  const successful = input.deployments.filter((d) => d.state === 'success');
  const match = successful.find((d) => d.sha === input.headSha || d.tree === input.headTree);
  if (match) return { gate: 'deployed', ok: true, environment, tree: input.headTree, deployedSha: match.sha };
  const latest = successful[0];
  if (!latest) return { gate: 'deployed', ok: false, environment, reason: 'none', tree: input.headTree };
  return {
    gate: 'deployed',
    ok: false,
    environment,
    reason: 'other-tree',
    tree: input.headTree,
    latest: { sha: latest.sha, ...(latest.tree !== undefined ? { tree: latest.tree } : {}) },
  };
}

function planGate(input: PromotionInput): PlanVerdict {
  const { plan, headSha, baseSha } = input;
  const failed = (reason: Exclude<PlanVerdict, { ok: true }>['reason']): PlanVerdict => ({
    gate: 'plan',
    ok: false,
    reason,
    ...(plan ? { plan } : {}),
    headSha,
    baseSha,
  });
  if (!plan) return failed('none');
  if (plan.headSha !== headSha) return failed('head-moved');
  if (plan.status === 'pending' || plan.status === 'running') return failed('unfinished');
  if (plan.status !== 'planned') return failed('ended');
  if (plan.baseSha !== baseSha) return failed('base-moved');
  return { gate: 'plan', ok: true, headSha, baseSha };
}

/** The verdict of every gate for one pull request; pure: the core gathers the evidence. */
export function evaluatePromotion(input: PromotionInput): PromotionVerdict {
  validate(input);
  const gates = [
    deployedGate(input),
    { gate: 'approvals', ok: input.approvals.satisfied, summary: input.approvals.summary, missing: input.approvals.missing },
    planGate(input),
  ] as const;
  return { satisfied: gates.every((g) => g.ok), gates };
}
