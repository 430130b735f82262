// What one job works with: the pull request it is about, and the session of the installation and
// repository it runs for (GitHub client, installation token, the App's login, a logger).
import type { RepoDeployments, RepoGitHub } from './github.js';
import type { SyncRequests } from './sync-requests.js';

/** A pull request as the core sees it: refs and SHAs straight from the payload (or the API). */
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

/** A pino-compatible logger (Probot's context.log fits). */
export interface CoreLog {
  info(obj: object, msg?: string): void;
  warn(obj: object, msg?: string): void;
  error(obj: object, msg?: string): void;
}

/** Everything one job needs, for one installation and repository; built by the composition root. */
export interface RepoSession {
  readonly github: RepoGitHub;
  /** The repository's GitHub deployments: what was applied where (applies record them, promotion reads them). */
  readonly deployments: RepoDeployments;
  /** The sync branches and pull requests back-sync opens when a branch is left untouched. @default none: back-sync is skipped */
  readonly syncRequests?: SyncRequests;
  /** The GitHub App installation the session acts for (kept with a plan, so a restart can act for it again). @default unknown */
  readonly installationId?: number;
  /** The installation token for git over HTTP (never logged, never passed to the pull request's code). */
  authToken(): Promise<string | undefined>;
  /**
   * The App's own login (`<slug>[bot]`): the sticky comment is looked up among its comments only, so a
   * person pasting the marker into their comment cannot capture it. @default any author
   */
  botLogin?(): Promise<string | undefined>;
  readonly log: CoreLog;
}

/** The time, injected so that leases and records can be tested without waiting. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
