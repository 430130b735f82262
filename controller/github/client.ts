// The controller's only door to the GitHub API: `OctokitGitHubClient` implements the core's
// `RepoGitHub` port over Probot's `context.octokit` or an `@octokit/rest` Octokit (both expose
// `.rest.*` and `.paginate`).
import type { Octokit } from '@octokit/rest';
import { fitText } from '../comment/limits.js';
import {
  ContentTypeError,
  PERMISSIONS,
  type CheckRunInput,
  type CheckRunUpdate,
  type CompareCommit,
  type CompareResult,
  type DirectoryEntry,
  type IssueComment,
  type Permission,
  type PullRequestInfo,
  type RepoGitHub,
  type Review,
  type ReviewState,
} from '../core/ports/github.js';

/** What the client needs of an Octokit: Probot 14's `context.octokit` and `new Octokit()` both fit. */
export type OctokitLike = Pick<Octokit, 'rest' | 'paginate'>;

const MAX_COMPARE_PAGES = 100;

function isNotFound(e: unknown): boolean {
  return (e as { status?: number }).status === 404;
}

function checkRunOutput(u: CheckRunUpdate) {
  if (u.title === undefined && u.summary === undefined && u.text === undefined) return undefined;
  if (u.title === undefined || u.summary === undefined) throw new Error('check run output needs both title and summary');
  return { title: u.title, summary: fitText(u.summary), ...(u.text !== undefined ? { text: fitText(u.text) } : {}) };
}

function assertConclusion(u: CheckRunUpdate): void {
  if (u.status === 'completed' && u.conclusion === undefined) {
    throw new Error(
      `check run "${u.name ?? ''}": status "completed" needs a conclusion (success, failure, neutral, cancelled, skipped, timed_out, action_required)`,
    );
  }
}

export class OctokitGitHubClient implements RepoGitHub {
  constructor(
    private readonly octokit: OctokitLike,
    readonly owner: string,
    readonly repo: string,
  ) {}

  private get r() {
    return { owner: this.owner, repo: this.repo };
  }

  async getFileText(ref: string, path: string): Promise<string | undefined> {
    let data;
    try {
      ({ data } = await this.octokit.rest.repos.getContent({ ...this.r, path, ref }));
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
    if (Array.isArray(data) || data.type !== 'file') {
      throw new ContentTypeError(path, ref, Array.isArray(data) ? 'directory' : data.type, 'file');
    }
    if ('encoding' in data && data.encoding === 'base64' && (data.content !== '' || data.size === 0)) {
      return Buffer.from(data.content, 'base64').toString('utf8');
    }
    // Files over 1 MB come without content; the blob endpoint serves them up to 100 MB.
    const blob = await this.octokit.rest.git.getBlob({ ...this.r, file_sha: data.sha });
    return Buffer.from(blob.data.content, blob.data.encoding === 'base64' ? 'base64' : 'utf8').toString('utf8');
  }

  async listDirectory(ref: string, path: string): Promise<DirectoryEntry[] | undefined> {
    let data;
    try {
      ({ data } = await this.octokit.rest.repos.getContent({ ...this.r, path, ref }));
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
    if (!Array.isArray(data)) throw new ContentTypeError(path, ref, data.type, 'directory');
    return data.map((e) => ({
      name: e.name,
      path: e.path,
      type: e.type as DirectoryEntry['type'],
      ...(e.type === 'file' ? { size: e.size } : {}),
    }));
  }

  async compareCommits(base: string, head: string): Promise<CompareResult> {
    const commits: CompareCommit[] = [];
    const perPage = 100;
    let first;
    for (let page = 1; ; page++) {
      const { data } = await this.octokit.rest.repos.compareCommitsWithBasehead({
        ...this.r,
        basehead: `${base}...${head}`,
        per_page: perPage,
        page,
      });
      first ??= data;
      commits.push(...data.commits.map((c) => ({ sha: c.sha, parents: c.parents.map((p) => p.sha) })));
      if (data.commits.length < perPage || commits.length >= data.total_commits) break;
      if (page >= MAX_COMPARE_PAGES) {
        throw new Error(
          `compare ${base}...${head}: more than ${MAX_COMPARE_PAGES * perPage} commits (total ${data.total_commits}); refusing to page further`,
        );
      }
    }
    return {
      status: first.status,
      aheadBy: first.ahead_by,
      behindBy: first.behind_by,
      mergeBaseSha: first.merge_base_commit.sha,
      commits,
      files: (first.files ?? []).map((f) => ({
        filename: f.filename,
        status: f.status,
        ...(f.previous_filename ? { previousFilename: f.previous_filename } : {}),
      })),
    };
  }

  async getCommitTree(sha: string): Promise<string | undefined> {
    try {
      // The git data endpoint: the commit alone, without the file list and stats that repos/get-commit adds.
      const { data } = await this.octokit.rest.git.getCommit({ ...this.r, commit_sha: sha });
      return data.tree.sha;
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  async getPullRequest(pr: number): Promise<PullRequestInfo> {
    const { data } = await this.octokit.rest.pulls.get({ ...this.r, pull_number: pr });
    return pullRequestInfo(data, data.merged);
  }

  async pullRequestsOfCommit(sha: string): Promise<PullRequestInfo[]> {
    const pulls = await this.octokit.paginate(this.octokit.rest.repos.listPullRequestsAssociatedWithCommit, {
      ...this.r,
      commit_sha: sha,
      per_page: 100,
    });
    // the list endpoint has no `merged`: a merge time says it
    return pulls.map((data) => pullRequestInfo(data, data.merged_at != null));
  }

  async listOpenPullRequests(base: string): Promise<PullRequestInfo[]> {
    const pulls = await this.octokit.paginate(this.octokit.rest.pulls.list, {
      ...this.r,
      state: 'open',
      base,
      sort: 'created',
      direction: 'asc',
      per_page: 100,
    });
    return pulls.map((data) => pullRequestInfo(data, false));
  }

  async listPullRequestFiles(pr: number): Promise<string[]> {
    const files = await this.octokit.paginate(this.octokit.rest.pulls.listFiles, { ...this.r, pull_number: pr, per_page: 100 });
    return [...new Set(files.flatMap((f) => (f.previous_filename ? [f.filename, f.previous_filename] : [f.filename])))];
  }

  async listReviews(pr: number): Promise<Review[]> {
    const reviews = await this.octokit.paginate(this.octokit.rest.pulls.listReviews, { ...this.r, pull_number: pr, per_page: 100 });
    // A review by a deleted account ("ghost") has no user and can count for nobody.
    return reviews.flatMap((r) =>
      r.user
        ? [
            {
              user: r.user.login,
              state: r.state as ReviewState,
              commitId: r.commit_id ?? '',
              ...(r.submitted_at ? { submittedAt: r.submitted_at } : {}),
            },
          ]
        : [],
    );
  }

  async getPermission(user: string): Promise<Permission> {
    try {
      const { data } = await this.octokit.rest.repos.getCollaboratorPermissionLevel({ ...this.r, username: user });
      // role_name tells maintain and triage apart; a custom role falls back to its base permission.
      const role = data.role_name as Permission;
      if (PERMISSIONS.includes(role)) return role;
      return PERMISSIONS.includes(data.permission as Permission) ? (data.permission as Permission) : 'none';
    } catch (e) {
      if (isNotFound(e)) return 'none';
      throw e;
    }
  }

  async listTeamMembers(org: string, teamSlug: string): Promise<string[] | undefined> {
    try {
      const members = await this.octokit.paginate(this.octokit.rest.teams.listMembersInOrg, { org, team_slug: teamSlug, per_page: 100 });
      return members.map((m) => m.login);
    } catch (e) {
      const status = (e as { status?: number }).status;
      if (status === 404 || status === 403) return undefined;
      throw e;
    }
  }

  async createCheckRun(input: CheckRunInput): Promise<number> {
    assertConclusion(input);
    const { data } = await this.octokit.rest.checks.create({
      ...this.r,
      name: input.name,
      head_sha: input.headSha,
      status: input.status,
      ...(input.conclusion ? { conclusion: input.conclusion } : {}),
      ...(input.externalId !== undefined ? { external_id: input.externalId } : {}),
      ...(input.detailsUrl !== undefined ? { details_url: input.detailsUrl } : {}),
      output: checkRunOutput(input),
    });
    return data.id;
  }

  async updateCheckRun(id: number, update: CheckRunUpdate): Promise<void> {
    assertConclusion(update);
    const output = checkRunOutput(update);
    await this.octokit.rest.checks.update({
      ...this.r,
      check_run_id: id,
      ...(update.name !== undefined ? { name: update.name } : {}),
      ...(update.status ? { status: update.status } : {}),
      ...(update.conclusion ? { conclusion: update.conclusion } : {}),
      ...(update.externalId !== undefined ? { external_id: update.externalId } : {}),
      ...(update.detailsUrl !== undefined ? { details_url: update.detailsUrl } : {}),
      ...(output ? { output } : {}),
    });
  }

  async findComment(pr: number, marker: string, opts: { author?: string } = {}): Promise<IssueComment | undefined> {
    if (marker.trim() === '') throw new Error('findComment: the marker is empty (it would match every comment)');
    const author = opts.author?.toLowerCase();
    const comments = await this.octokit.paginate(this.octokit.rest.issues.listComments, { ...this.r, issue_number: pr, per_page: 100 });
    const found = comments.find((c) => (c.body ?? '').includes(marker) && (author === undefined || c.user?.login.toLowerCase() === author));
    return found ? { id: found.id, body: found.body ?? '', author: found.user?.login ?? '' } : undefined;
  }

  async createComment(pr: number, body: string): Promise<number> {
    const { data } = await this.octokit.rest.issues.createComment({ ...this.r, issue_number: pr, body });
    return data.id;
  }

  async updateComment(id: number, body: string): Promise<void> {
    await this.octokit.rest.issues.updateComment({ ...this.r, comment_id: id, body });
  }
}

/** The fields of a pull request (full or simple) the core reads; `merged` as the endpoint says it. */
function pullRequestInfo(
  data: {
    number: number;
    state: string;
    draft?: boolean;
    title: string;
    user: { login: string } | null;
    head: { ref: string; sha: string; repo: { full_name: string } | null };
    base: { ref: string; sha: string };
    merge_commit_sha: string | null;
  },
  merged: boolean,
): PullRequestInfo {
  return {
    number: data.number,
    state: data.state as 'open' | 'closed',
    merged,
    draft: data.draft ?? false,
    title: data.title,
    author: data.user?.login ?? '',
    headRef: data.head.ref,
    headSha: data.head.sha,
    headRepo: data.head.repo?.full_name,
    baseRef: data.base.ref,
    baseSha: data.base.sha,
    mergeCommitSha: data.merge_commit_sha ?? undefined,
  };
}
