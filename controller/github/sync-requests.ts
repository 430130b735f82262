// Back-sync's conflict pull requests over Octokit: the `SyncRequests` port, bound to one repository.
import { COMMENT_LIMIT, fitText } from '../comment/limits.js';
import type { NewSyncPullRequest, ReviewRequest, SyncBranchUpdate, SyncPullRequest, SyncRequests } from '../core/ports/sync-requests.js';
import type { OctokitLike } from './client.js';

const status = (e: unknown): number | undefined => (e as { status?: number }).status;

export class OctokitSyncRequests implements SyncRequests {
  private readonly r: { owner: string; repo: string };

  constructor(
    private readonly octokit: OctokitLike,
    owner: string,
    repo: string,
  ) {
    this.r = { owner, repo };
  }

  async advanceBranch(branch: string, sha: string): Promise<SyncBranchUpdate> {
    let current: string;
    try {
      current = (await this.octokit.rest.git.getRef({ ...this.r, ref: `heads/${branch}` })).data.object.sha;
    } catch (e) {
      if (status(e) !== 404) throw e;
      await this.octokit.rest.git.createRef({ ...this.r, ref: `refs/heads/${branch}`, sha });
      return 'created';
    }
    if (current === sha) return 'unchanged';
    try {
      // force: false, so GitHub refuses anything but a fast-forward: commits someone added stay
      await this.octokit.rest.git.updateRef({ ...this.r, ref: `heads/${branch}`, sha, force: false });
      return 'updated';
    } catch (e) {
      if (status(e) === 422) return 'diverged';
      throw e;
    }
  }

  async findOpenPullRequest(head: string, base: string): Promise<SyncPullRequest | undefined> {
    const { data } = await this.octokit.rest.pulls.list({ ...this.r, state: 'open', head: `${this.r.owner}:${head}`, base, per_page: 10 });
    const pr = data.find((p) => p.head.ref === head && p.base.ref === base);
    return pr ? { number: pr.number, head, base, title: pr.title, body: pr.body ?? '' } : undefined;
  }

  async createPullRequest(pr: NewSyncPullRequest): Promise<number> {
    const { data } = await this.octokit.rest.pulls.create({
      ...this.r,
      head: pr.head,
      base: pr.base,
      title: pr.title,
      body: fitText(pr.body, COMMENT_LIMIT),
    });
    return data.number;
  }

  async updatePullRequest(number: number, change: { readonly title: string; readonly body: string }): Promise<void> {
    await this.octokit.rest.pulls.update({
      ...this.r,
      pull_number: number,
      title: change.title,
      body: fitText(change.body, COMMENT_LIMIT),
    });
  }

  async addLabels(number: number, labels: readonly string[]): Promise<void> {
    await this.octokit.rest.issues.addLabels({ ...this.r, issue_number: number, labels: [...labels] });
  }

  async closePullRequest(number: number, comment: string): Promise<void> {
    await this.octokit.rest.issues.createComment({ ...this.r, issue_number: number, body: fitText(comment, COMMENT_LIMIT) });
    await this.octokit.rest.pulls.update({ ...this.r, pull_number: number, state: 'closed' });
  }

  async requestReviewers(number: number, request: ReviewRequest): Promise<string[]> {
    const ask = (users: readonly string[], teams: readonly string[]) =>
      this.octokit.rest.pulls.requestReviewers({ ...this.r, pull_number: number, reviewers: [...users], team_reviewers: [...teams] });
    if (request.users.length + request.teams.length === 0) return [];
    try {
      await ask(request.users, request.teams);
      return [];
    } catch (e) {
      if (status(e) !== 422) throw e;
    }
    // GitHub refuses the whole request when one owner cannot review: ask for each alone, keep the refusals
    const refused: string[] = [];
    for (const [who, users, teams] of [
      ...request.users.map((u) => [`@${u}`, [u], []] as const),
      ...request.teams.map((t) => [`@${this.r.owner}/${t}`, [], [t]] as const),
    ]) {
      try {
        await ask(users, teams);
      } catch (e) {
        if (status(e) !== 422) throw e;
        refused.push(who);
      }
    }
    return refused;
  }
}
