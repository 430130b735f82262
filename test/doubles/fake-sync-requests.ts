// An in-memory SyncRequests for the core's tests: branches, pull requests with labels, review
// requests and the comments they were closed with. `withCommitsOnTop` marks a branch someone added commits to (it can no longer be moved forward).
import type {
  NewSyncPullRequest,
  ReviewRequest,
  SyncBranchUpdate,
  SyncPullRequest,
  SyncRequests,
} from '../../controller/core/ports/sync-requests.js';

export interface FakeSyncPullRequest extends SyncPullRequest {
  state: 'open' | 'closed';
  title: string;
  body: string;
  readonly labels: string[];
  readonly reviewers: string[];
  readonly comments: string[];
}

export class FakeSyncRequests implements SyncRequests {
  readonly branches = new Map<string, string>();
  readonly pulls: FakeSyncPullRequest[] = [];
  /** Branches holding commits the trunk does not have. */
  readonly withCommitsOnTop = new Set<string>();
  /** Owners (`@login`, `@org/team`) GitHub would refuse as reviewers. */
  readonly cannotReview = new Set<string>();

  constructor(private readonly org = 'acme') {}

  async advanceBranch(branch: string, sha: string): Promise<SyncBranchUpdate> {
    const current = this.branches.get(branch);
    if (current === undefined) {
      this.branches.set(branch, sha);
      return 'created';
    }
    if (current === sha) return 'unchanged';
    if (this.withCommitsOnTop.has(branch)) return 'diverged';
    this.branches.set(branch, sha);
    return 'updated';
  }

  async findOpenPullRequest(head: string, base: string): Promise<SyncPullRequest | undefined> {
    return this.pulls.find((p) => p.state === 'open' && p.head === head && p.base === base);
  }

  async createPullRequest(pr: NewSyncPullRequest): Promise<number> {
    if (!this.branches.has(pr.head)) throw new Error(`no branch ${pr.head}`);
    if (await this.findOpenPullRequest(pr.head, pr.base)) throw new Error(`a pull request ${pr.head} → ${pr.base} already exists`);
    const number = this.pulls.length + 1;
    this.pulls.push({ ...pr, number, state: 'open', labels: [], reviewers: [], comments: [] });
    return number;
  }

  async updatePullRequest(number: number, change: { readonly title: string; readonly body: string }): Promise<void> {
    const pr = this.pull(number);
    pr.title = change.title;
    pr.body = change.body;
  }

  async addLabels(number: number, labels: readonly string[]): Promise<void> {
    const pr = this.pull(number);
    for (const l of labels) if (!pr.labels.includes(l)) pr.labels.push(l);
  }

  async closePullRequest(number: number, comment: string): Promise<void> {
    const pr = this.pull(number);
    if (pr.state !== 'open') throw new Error(`pull request #${number} is closed already`);
    pr.comments.push(comment);
    pr.state = 'closed';
  }

  async requestReviewers(number: number, request: ReviewRequest): Promise<string[]> {
    const pr = this.pull(number);
    const refused: string[] = [];
    for (const who of [...request.users.map((u) => `@${u}`), ...request.teams.map((t) => `@${this.org}/${t}`)]) {
      if (this.cannotReview.has(who)) refused.push(who);
      else if (!pr.reviewers.includes(who)) pr.reviewers.push(who);
    }
    return refused;
  }

  private pull(number: number): FakeSyncPullRequest {
    const pr = this.pulls.find((p) => p.number === number);
    if (!pr) throw new Error(`no pull request #${number}`);
    return pr;
  }
}
