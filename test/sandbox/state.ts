// The sandbox's memory: what GitHub stores beside git (pull requests, comments, reviews, check runs,
// deployments, statuses, labels, permissions, dispatched workflow runs). Git data itself always comes from
// the bare repository.
import type { WorkflowRunRecord } from './actions.js';

export type Permission = 'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'none';
export const PERMISSIONS: readonly Permission[] = ['admin', 'maintain', 'write', 'triage', 'read', 'none'];

export interface UserRecord {
  login: string;
  id: number;
  type: 'User' | 'Bot';
}

export interface PullRecord {
  number: number;
  id: number;
  title: string;
  body: string | null;
  user: string;
  headRef: string;
  headSha: string;
  baseRef: string;
  /** Tip of the base branch, kept current while the pull request is open, frozen when it closes. */
  baseSha: string;
  state: 'open' | 'closed';
  draft: boolean;
  merged: boolean;
  mergedAt: string | null;
  mergedBy: string | null;
  mergeCommitSha: string | null;
  createdAt: string;
  updatedAt: string;
  closedAt: string | null;
  labels: string[];
  assignees: string[];
  /** Users asked to review (rendered in `requested_reviewers`). */
  requestedReviewers: string[];
  /** Team slugs asked to review (kept here; `requested_teams` is rendered empty). */
  requestedTeams: string[];
}

export interface CommentRecord {
  id: number;
  issueNumber: number;
  user: string;
  body: string;
  createdAt: string;
  updatedAt: string;
}

export type ReviewState = 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED' | 'DISMISSED' | 'PENDING';

export interface ReviewRecord {
  id: number;
  pullNumber: number;
  user: string;
  state: ReviewState;
  body: string;
  commitId: string;
  submittedAt: string;
}

export interface CheckRunRecord {
  id: number;
  name: string;
  headSha: string;
  status: 'queued' | 'in_progress' | 'completed' | 'waiting' | 'requested' | 'pending';
  conclusion: string | null;
  startedAt: string;
  completedAt: string | null;
  externalId: string;
  detailsUrl: string | null;
  output: { title: string | null; summary: string | null; text: string | null; annotationsCount: number };
  checkSuiteId: number;
  /** Every output/status the run went through, oldest first (tests read the history). */
  history: { status: string; conclusion: string | null; title: string | null; at: string }[];
}

export interface DeploymentStatusRecord {
  id: number;
  state: string;
  creator: string;
  description: string;
  environment: string;
  targetUrl: string;
  logUrl: string;
  environmentUrl: string;
  createdAt: string;
}

export interface DeploymentRecord {
  id: number;
  sha: string;
  ref: string;
  task: string;
  environment: string;
  originalEnvironment: string;
  payload: unknown;
  description: string | null;
  creator: string;
  createdAt: string;
  updatedAt: string;
  transientEnvironment: boolean;
  productionEnvironment: boolean;
  statuses: DeploymentStatusRecord[];
}

export interface CommitStatusRecord {
  id: number;
  sha: string;
  state: 'error' | 'failure' | 'pending' | 'success';
  context: string;
  description: string | null;
  targetUrl: string | null;
  creator: string;
  createdAt: string;
  updatedAt: string;
}

export interface LabelRecord {
  id: number;
  name: string;
  color: string;
}

export class SandboxState {
  readonly users = new Map<string, UserRecord>();
  readonly permissions = new Map<string, Permission>();
  readonly pulls: PullRecord[] = [];
  readonly comments: CommentRecord[] = [];
  readonly reviews: ReviewRecord[] = [];
  readonly checkRuns: CheckRunRecord[] = [];
  readonly deployments: DeploymentRecord[] = [];
  readonly statuses: CommitStatusRecord[] = [];
  readonly labels = new Map<string, LabelRecord>();
  readonly workflowRuns: WorkflowRunRecord[] = [];
  private nextId = 1000;
  private nextNumber = 1;

  newId(): number {
    return this.nextId++;
  }

  /** Pull requests and issues share one number sequence, as on GitHub. */
  newIssueNumber(): number {
    return this.nextNumber++;
  }

  user(login: string, type: UserRecord['type'] = login.endsWith('[bot]') ? 'Bot' : 'User'): UserRecord {
    let user = this.users.get(login);
    if (!user) {
      user = { login, id: this.newId(), type };
      this.users.set(login, user);
    }
    return user;
  }

  pull(number: number): PullRecord | undefined {
    return this.pulls.find((p) => p.number === number);
  }

  label(name: string): LabelRecord {
    let label = this.labels.get(name.toLowerCase());
    if (!label) {
      label = { id: this.newId(), name, color: 'ededed' };
      this.labels.set(name.toLowerCase(), label);
    }
    return label;
  }

  permission(login: string): Permission {
    return this.permissions.get(login) ?? 'none';
  }

  reset(): void {
    this.pulls.length = 0;
    this.comments.length = 0;
    this.reviews.length = 0;
    this.checkRuns.length = 0;
    this.deployments.length = 0;
    this.statuses.length = 0;
    this.labels.clear();
    this.workflowRuns.length = 0;
    this.nextNumber = 1;
  }
}
