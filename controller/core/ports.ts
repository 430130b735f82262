// What the orchestration needs from the outside world, as small interfaces, so every flow can be
// tested with in-memory fakes (no Probot, no HTTP, no git). The production implementations are
// C1's OctokitGitHubClient and SqliteStore and C2's PlanService.
import type { GitHubClient } from '../github/client.js';
import type { PlanReport } from '../plan/types.js';
import type { Store } from '../store/sqlite-store.js';

/** A pull request as the flows see it: refs and SHAs straight from the payload (or the API). */
export interface PullRequestRef {
  readonly owner: string;
  readonly repo: string;
  readonly number: number;
  readonly headRef: string;
  readonly headSha: string;
  readonly baseRef: string;
  readonly baseSha: string;
  /** The base repository's clone URL (https://…/owner/repo.git); code is fetched from it with the installation token. */
  readonly cloneUrl: string;
  /** The author's login: their own approval never counts. */
  readonly author?: string;
}

export const fullName = (pr: Pick<PullRequestRef, 'owner' | 'repo'>): string => `${pr.owner}/${pr.repo}`;
export const shortSha = (sha: string): string => sha.slice(0, 7);

/** The GitHub calls the flows make, bound to one repository (C1's GitHubClient). */
export type RepoGitHub = GitHubClient;
export type { Permission, Review, CheckRunInput, CheckRunConclusion as CheckConclusion } from '../github/client.js';

/** The plan records and locks of the store (C1's SqliteStore). */
export type PlanRecords = Pick<Store, 'savePlan' | 'updatePlan' | 'supersedePlans' | 'latestPlan'>;
export type LockRecords = Pick<Store, 'getLock' | 'releaseLock'>;

export interface PlanRequest {
  readonly repoUrl: string;
  readonly authToken?: string;
  readonly headSha: string;
  readonly baseSha: string;
  readonly environment: string;
  readonly signal?: AbortSignal;
}

/** C2's PlanService. */
export interface Planner {
  planPullRequest(request: PlanRequest): Promise<PlanReport>;
}

/** A pino-compatible logger (Probot's context.log fits). */
export interface CoreLog {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Everything one job needs, for one installation and repository. */
export interface RepoSession {
  readonly github: RepoGitHub;
  /** The installation token for git over HTTP (never logged, never passed to the pull request's code). */
  authToken(): Promise<string | undefined>;
  /**
   * The App's own login (`<slug>[bot]`): the sticky comment is looked up among its comments only, so a
   * person pasting the marker into their comment cannot capture it. @default any author
   */
  botLogin?(): Promise<string | undefined>;
  readonly log: CoreLog;
}
