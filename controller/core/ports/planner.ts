// The planner port: synthesize a pull request's base and head, find the affected stacks of one
// environment and plan them, and (for applies) keep the saved plans and apply exactly them. The plan
// service (controller/plan/service.ts) implements it.
import type { PlannedPullRequest, PlanReport } from './plan-report.js';
import type { TerraformCredentials } from './terraform.js';

export interface PlanRequest {
  /** The payload's clone_url (no credentials in it). */
  readonly repoUrl: string;
  /** Installation token for fetching. @default none */
  readonly authToken?: string;
  readonly headSha: string;
  readonly baseSha: string;
  /**
   * The branch the base belongs to: the pull request's base branch, or the environment branch a merge is applied
   * to. A planner that runs terraform on GitHub Actions dispatches its runs on it, so the workflow definition is
   * the branch's, never the head's. @default none
   */
  readonly baseRef?: string;
  /** The environment the pull request targets. */
  readonly environment: string;
  /** Environment files inside the repository. @default environments */
  readonly envDir?: string;
  /** Names the job directory and the runner's work directories. @default a random UUID */
  readonly jobId?: string;
  /** Cancels the plan (a newer push supersedes it); the promise rejects with the signal's reason. */
  readonly signal?: AbortSignal;
  /**
   * The environment's terraform credentials, for an apply's plan of merged code (plan set) and its apply (apply
   * set); a pull request's plan ignores them. @default none: terraform gets no credential
   */
  readonly credentials?: TerraformCredentials;
}

/** What applying one stack's saved plan printed. */
export interface StackApplied {
  readonly stack: string;
  readonly log: string;
}

/**
 * A plan whose saved plan files are kept so that exactly they can be applied. They hold sensitive
 * values in clear: `discard` deletes them, and the job that asked for them calls it when it ends.
 */
export interface PlanToApply {
  readonly report: PlanReport;
  /**
   * Applies the saved plan of `stack` (one of the report's stacks with a terraform plan), nothing else.
   * Rejects when terraform fails, with a one-line `reason` and the end of the log as `logTail`.
   */
  apply(stack: string, signal?: AbortSignal): Promise<StackApplied>;
  /** Deletes every saved plan of this plan (idempotent). */
  discard(): Promise<void>;
}

export interface Planner {
  /**
   * True when `plan` hands back the synthesized stacks of both sides: only then does the policy check run
   * beside the plan (it judges the configuration itself).
   */
  readonly synthesizes: boolean;
  /** Plans `request.environment` for the head against the base; rejects when the plan cannot be made. */
  plan(request: PlanRequest): Promise<PlannedPullRequest>;
  /**
   * Plans like `plan` (the merged commit as head, the branch's previous tip as base) and keeps the saved
   * plans for applying. @default absent: this planner cannot apply, and applies fail saying so
   */
  planToApply?(request: PlanRequest): Promise<PlanToApply>;
}
