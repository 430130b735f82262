// The GitHub calls the core makes, bound to one repository, in the core's own terms. The Octokit
// adapter (controller/github/client.ts) implements them; tests use an in-memory double.
export type Permission = 'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'none';
export const PERMISSIONS: readonly Permission[] = ['admin', 'maintain', 'write', 'triage', 'read', 'none'];
/** Permissions that may push to the repository: their holders' commands, approvals and code are trusted. */
export const WRITE_PERMISSIONS: readonly Permission[] = ['write', 'maintain', 'admin'];

export type ReviewState = 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | 'PENDING';

export interface Review {
  /** Login of the reviewer. */
  readonly user: string;
  readonly state: ReviewState;
  /** The head SHA the review was given on. */
  readonly commitId: string;
  /** ISO time; absent for pending reviews. */
  readonly submittedAt?: string;
}

export interface DirectoryEntry {
  readonly name: string;
  readonly path: string;
  readonly type: 'file' | 'dir' | 'symlink' | 'submodule';
  /** Bytes, for files: what is too large is refused before it is fetched. */
  readonly size?: number;
}

export interface CompareCommit {
  readonly sha: string;
  /** Parent SHAs, first parent first. */
  readonly parents: string[];
}

export interface CompareResult {
  readonly status: 'diverged' | 'ahead' | 'behind' | 'identical';
  readonly aheadBy: number;
  readonly behindBy: number;
  readonly mergeBaseSha: string;
  /** Every commit reachable from head and not from base (all pages). */
  readonly commits: CompareCommit[];
  /** Changed files (GitHub lists at most 300 for a comparison). */
  readonly files: { filename: string; status: string; previousFilename?: string }[];
}

export interface PullRequestInfo {
  readonly number: number;
  readonly state: 'open' | 'closed';
  readonly merged: boolean;
  readonly draft: boolean;
  readonly title: string;
  readonly author: string;
  readonly headRef: string;
  readonly headSha: string;
  /** `owner/name` of the head repository; differs from the base for a fork, undefined when the fork is gone. */
  readonly headRepo?: string;
  readonly baseRef: string;
  readonly baseSha: string;
  readonly mergeCommitSha?: string;
}

export type CheckRunStatus = 'queued' | 'in_progress' | 'completed';
export type CheckRunConclusion = 'success' | 'failure' | 'neutral' | 'cancelled' | 'skipped' | 'timed_out' | 'action_required';

export interface CheckRunInput {
  /** e.g. `gitops/branch-policy`, `gitops/plan/prod`. */
  readonly name: string;
  readonly headSha: string;
  readonly status: CheckRunStatus;
  /** Required when status is `completed`. */
  readonly conclusion?: CheckRunConclusion;
  readonly title: string;
  readonly summary: string;
  readonly text?: string;
  readonly externalId?: string;
  readonly detailsUrl?: string;
}

export type CheckRunUpdate = Partial<Omit<CheckRunInput, 'headSha'>>;

export interface IssueComment {
  readonly id: number;
  readonly body: string;
  readonly author: string;
}

/** The GitHub operations the core uses, bound to one owner/repo. */
export interface RepoGitHub {
  readonly owner: string;
  readonly repo: string;
  /** A file's text at `ref`; undefined when it does not exist there. */
  getFileText(ref: string, path: string): Promise<string | undefined>;
  /** A directory's entries at `ref`; undefined when it does not exist there. */
  listDirectory(ref: string, path: string): Promise<DirectoryEntry[] | undefined>;
  compareCommits(base: string, head: string): Promise<CompareResult>;
  /** The tree SHA of commit `sha` (two commits with the same tree hold the same files); undefined when there is no such commit. */
  getCommitTree(sha: string): Promise<string | undefined>;
  getPullRequest(pr: number): Promise<PullRequestInfo>;
  /** The pull requests `sha` belongs to (merged with it as their merge commit, or with it on their head). */
  pullRequestsOfCommit(sha: string): Promise<PullRequestInfo[]>;
  /** The open pull requests into `base` (all pages), oldest first. */
  listOpenPullRequests(base: string): Promise<PullRequestInfo[]>;
  /** Every changed path of a pull request, including the old path of a renamed file. */
  listPullRequestFiles(pr: number): Promise<string[]>;
  listReviews(pr: number): Promise<Review[]>;
  /** A user's permission on the repository; `none` for a non-collaborator. */
  getPermission(user: string): Promise<Permission>;
  /** Logins in `org/team`; undefined when the team cannot be read (unknown, or no members:read permission). */
  listTeamMembers(org: string, teamSlug: string): Promise<string[] | undefined>;
  createCheckRun(input: CheckRunInput): Promise<number>;
  updateCheckRun(id: number, update: CheckRunUpdate): Promise<void>;
  /** The first comment of the pull request whose body contains `marker` (and, if given, by `author`). */
  findComment(pr: number, marker: string, opts?: { author?: string }): Promise<IssueComment | undefined>;
  createComment(pr: number, body: string): Promise<number>;
  updateComment(id: number, body: string): Promise<void>;
}

export type DeploymentState = 'queued' | 'in_progress' | 'success' | 'failure' | 'error' | 'inactive';

export interface NewDeployment {
  /** The commit SHA deployed (a SHA, never a branch: the evidence must name the exact tree). */
  readonly sha: string;
  /** The environment's name, e.g. `prod`. */
  readonly environment: string;
  readonly description: string;
  /** Whether the environment is production (the environment file's tier). */
  readonly production: boolean;
}

export interface Deployment {
  readonly id: number;
  readonly sha: string;
  readonly environment: string;
  /** The latest status; undefined before the first one. */
  readonly state?: DeploymentState;
}

/**
 * GitHub deployments, the public record of what was applied where: one per environment per commit,
 * statuses in_progress → success / failure with a log URL; promotion reads them as evidence.
 */
export interface RepoDeployments {
  createDeployment(deployment: NewDeployment): Promise<number>;
  setDeploymentStatus(
    id: number,
    status: { readonly state: DeploymentState; readonly description: string; readonly logUrl?: string },
  ): Promise<void>;
  /** Deployments of `environment` (of `sha` when given), newest first, each with its latest state; at most `limit` when given. */
  listDeployments(environment: string, sha?: string, limit?: number): Promise<Deployment[]>;
}

/** A path exists at the ref but is the wrong kind (a directory read as a file, or the reverse). */
export class ContentTypeError extends Error {
  constructor(
    readonly path: string,
    readonly ref: string,
    readonly actual: string,
    readonly expected: 'file' | 'directory',
  ) {
    super(`${path} at ${ref} is a ${actual}, not a ${expected}`);
    this.name = 'ContentTypeError';
  }
}
