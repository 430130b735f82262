// The planner port: synthesize a pull request's base and head, find the affected stacks of one
// environment and plan them. The plan service (controller/plan/service.ts) implements it.
import type { PlannedPullRequest } from './plan-report.js';

export interface PlanRequest {
  /** The payload's clone_url (no credentials in it). */
  readonly repoUrl: string;
  /** Installation token for fetching. @default none */
  readonly authToken?: string;
  readonly headSha: string;
  readonly baseSha: string;
  /** The environment the pull request targets. */
  readonly environment: string;
  /** Environment files inside the repository. @default environments */
  readonly envDir?: string;
  /** Names the job directory and the runner's work directories. @default a random UUID */
  readonly jobId?: string;
  /** Cancels the plan (a newer push supersedes it); the promise rejects with the signal's reason. */
  readonly signal?: AbortSignal;
}

export interface Planner {
  /**
   * True when `plan` hands back the synthesized stacks of both sides: only then does the policy check run
   * beside the plan (it judges the configuration itself).
   */
  readonly synthesizes: boolean;
  /** Plans `request.environment` for the head against the base; rejects when the plan cannot be made. */
  plan(request: PlanRequest): Promise<PlannedPullRequest>;
}
