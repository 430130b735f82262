// The GitHub calls of back-sync's conflict pull requests, bound to one repository: a branch that
// carries the trunk (`sync/<branch>`), and one open pull request from it into the branch that could
// not be rebased. The Octokit adapter is controller/github/sync-requests.ts; tests use an in-memory double.

/** What became of the sync branch: made, moved forward, already there, or left because someone added commits. */
export type SyncBranchUpdate = 'created' | 'updated' | 'unchanged' | 'diverged';

export interface SyncPullRequest {
  readonly number: number;
  readonly head: string;
  readonly base: string;
  readonly title: string;
  readonly body: string;
}

export interface NewSyncPullRequest {
  readonly head: string;
  readonly base: string;
  readonly title: string;
  readonly body: string;
}

export interface ReviewRequest {
  /** Logins, without @. */
  readonly users: readonly string[];
  /** Team slugs of the repository's organization, without @org/. */
  readonly teams: readonly string[];
}

export interface SyncRequests {
  /**
   * Points `branch` at `sha`: creates it, or moves it forward only. A branch holding commits that
   * `sha` does not have (someone's conflict resolution) is never rewritten: `diverged`.
   */
  advanceBranch(branch: string, sha: string): Promise<SyncBranchUpdate>;
  /** The open pull request from `head` into `base` of this repository, if there is one. */
  findOpenPullRequest(head: string, base: string): Promise<SyncPullRequest | undefined>;
  /** Opens a pull request; returns its number. */
  createPullRequest(pr: NewSyncPullRequest): Promise<number>;
  updatePullRequest(number: number, change: { readonly title: string; readonly body: string }): Promise<void>;
  /** Adds labels (GitHub creates a label that does not exist yet). */
  addLabels(number: number, labels: readonly string[]): Promise<void>;
  /** Comments `comment` on the pull request, then closes it (its branch is kept). */
  closePullRequest(number: number, comment: string): Promise<void>;
  /** Requests reviews; returns the owners GitHub refused (not collaborators, unknown teams), as `@login` / `@org/team`. */
  requestReviewers(number: number, request: ReviewRequest): Promise<string[]>;
}
