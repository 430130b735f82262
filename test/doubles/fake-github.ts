// An in-memory RepoGitHub for the core's tests: files per ref, pull requests, reviews,
// permissions, check runs and comments, with every write kept for assertions.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type {
  CheckRunInput,
  CheckRunUpdate,
  CompareResult,
  DirectoryEntry,
  RepoGitHub,
  IssueComment,
  Permission,
  PullRequestInfo,
  Review,
} from '../../controller/core/ports/github.js';
import type { PullRequestRef, RepoSession } from '../../controller/core/ports/session.js';
import { FakeDeployments } from './fake-deployments.js';

export interface FakeCheckRun extends CheckRunInput {
  readonly id: number;
}

export class FakeGitHub implements RepoGitHub {
  readonly owner = 'acme';
  readonly repo = 'infra';
  /** ref → path → text */
  readonly files = new Map<string, Map<string, string>>();
  /** `base...head` → commits beyond base */
  readonly compares = new Map<string, CompareResult['commits']>();
  /** commit SHA → tree SHA */
  readonly trees = new Map<string, string>();
  readonly pulls = new Map<number, PullRequestInfo>();
  readonly changedFiles = new Map<number, string[]>();
  readonly reviews = new Map<number, Review[]>();
  readonly permissions = new Map<string, Permission>();
  readonly teams = new Map<string, string[]>();
  readonly checkRuns: FakeCheckRun[] = [];
  readonly comments: (IssueComment & { pr: number })[] = [];
  /** Every write, in order: `createCheckRun gitops/plan/dev`, `createComment #1`… */
  readonly writes: string[] = [];
  private nextId = 1;

  /** Puts the repository's environment files (environments/*.yaml of this checkout) at `ref`. */
  withProjectEnvironments(ref: string, edit: (file: string, text: string) => string = (_f, t) => t): this {
    const dir = join(process.cwd(), 'environments');
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.yaml')))
      this.setFile(ref, `environments/${f}`, edit(f, readFileSync(join(dir, f), 'utf8')));
    return this;
  }

  /** Makes `pr` an open pull request (its head is the current head) whose author has `authorPermission`. */
  open(pr: PullRequestRef, authorPermission: Permission = 'write'): this {
    const author = pr.author ?? 'alice';
    this.pulls.set(pr.number, {
      number: pr.number,
      state: 'open',
      merged: false,
      draft: false,
      title: `#${pr.number}`,
      author,
      headRef: pr.headRef,
      headSha: pr.headSha,
      headRepo: `${pr.owner}/${pr.repo}`,
      baseRef: pr.baseRef,
      baseSha: pr.baseSha,
    });
    if (!this.permissions.has(author)) this.permissions.set(author, authorPermission);
    return this;
  }

  setFile(ref: string, path: string, text: string): this {
    const files = this.files.get(ref) ?? new Map<string, string>();
    files.set(path, text);
    this.files.set(ref, files);
    return this;
  }

  async getFileText(ref: string, path: string): Promise<string | undefined> {
    return this.files.get(ref)?.get(path);
  }

  async listDirectory(ref: string, path: string): Promise<DirectoryEntry[] | undefined> {
    const prefix = `${path}/`;
    const entries = [...(this.files.get(ref)?.keys() ?? [])].filter((p) => p.startsWith(prefix) && !p.slice(prefix.length).includes('/'));
    return entries.length === 0 ? undefined : entries.map((p) => ({ name: p.slice(prefix.length), path: p, type: 'file' as const }));
  }

  async compareCommits(base: string, head: string): Promise<CompareResult> {
    const commits = this.compares.get(`${base}...${head}`);
    if (!commits) throw Object.assign(new Error(`Not Found: ${base}...${head}`), { status: 404 });
    return { status: 'ahead', aheadBy: commits.length, behindBy: 0, mergeBaseSha: 'f'.repeat(40), commits, files: [] };
  }

  async getCommitTree(sha: string): Promise<string | undefined> {
    return this.trees.get(sha);
  }

  async getPullRequest(pr: number): Promise<PullRequestInfo> {
    const found = this.pulls.get(pr);
    if (!found) throw Object.assign(new Error(`Not Found: pull ${pr}`), { status: 404 });
    return found;
  }

  async pullRequestsOfCommit(sha: string): Promise<PullRequestInfo[]> {
    return [...this.pulls.values()].filter((p) => p.mergeCommitSha === sha || p.headSha === sha);
  }

  async listOpenPullRequests(base: string): Promise<PullRequestInfo[]> {
    return [...this.pulls.values()].filter((p) => p.state === 'open' && p.baseRef === base).sort((a, b) => a.number - b.number);
  }

  async listPullRequestFiles(pr: number): Promise<string[]> {
    return this.changedFiles.get(pr) ?? [];
  }

  async listReviews(pr: number): Promise<Review[]> {
    return this.reviews.get(pr) ?? [];
  }

  async getPermission(user: string): Promise<Permission> {
    return this.permissions.get(user) ?? 'none';
  }

  async listTeamMembers(org: string, teamSlug: string): Promise<string[] | undefined> {
    return this.teams.get(`@${org}/${teamSlug}`);
  }

  async createCheckRun(input: CheckRunInput): Promise<number> {
    const id = this.nextId++;
    this.checkRuns.push({ ...input, id });
    this.writes.push(`createCheckRun ${input.name} ${input.status}${input.conclusion ? ` ${input.conclusion}` : ''}`);
    return id;
  }

  async updateCheckRun(id: number, update: CheckRunUpdate): Promise<void> {
    const i = this.checkRuns.findIndex((c) => c.id === id);
    if (i < 0) throw new Error(`no check run ${id}`);
    this.checkRuns[i] = { ...this.checkRuns[i], ...update };
    this.writes.push(`updateCheckRun ${this.checkRuns[i].name} ${update.status ?? ''}${update.conclusion ? ` ${update.conclusion}` : ''}`);
  }

  async findComment(pr: number, marker: string, opts: { author?: string } = {}): Promise<IssueComment | undefined> {
    return this.comments.find((c) => c.pr === pr && c.body.includes(marker) && (opts.author === undefined || c.author === opts.author));
  }

  /** A comment by someone else than the App. */
  addComment(pr: number, body: string, author: string): number {
    const id = this.nextId++;
    this.comments.push({ id, pr, body, author });
    return id;
  }

  async createComment(pr: number, body: string): Promise<number> {
    const id = this.nextId++;
    this.comments.push({ id, pr, body, author: 'gitops[bot]' });
    this.writes.push(`createComment #${pr}`);
    return id;
  }

  async updateComment(id: number, body: string): Promise<void> {
    const c = this.comments.find((x) => x.id === id);
    if (!c) throw new Error(`no comment ${id}`);
    this.comments[this.comments.indexOf(c)] = { ...c, body };
    this.writes.push(`updateComment ${id}`);
  }

  /** The last check run of `name` on `headSha`. */
  check(name: string, headSha?: string): FakeCheckRun | undefined {
    return this.checkRuns.filter((c) => c.name === name && (headSha === undefined || c.headSha === headSha)).at(-1);
  }
}

export const sha = (c: string): string => c.repeat(40).slice(0, 40);

export function pullRequest(over: Partial<PullRequestRef> = {}): PullRequestRef {
  return {
    owner: 'acme',
    repo: 'infra',
    number: 7,
    headRef: 'feature/x',
    headSha: sha('a'),
    baseRef: 'dev',
    baseSha: sha('b'),
    cloneUrl: 'https://github.example/acme/infra.git',
    author: 'alice',
    ...over,
  };
}

export function sessionOf(
  github: RepoGitHub,
  token = 'ghs_installation',
  deployments = new FakeDeployments(),
): RepoSession & { logs: string[]; deployments: FakeDeployments } {
  const logs: string[] = [];
  const log = (level: string) => (obj: object, msg?: string) => logs.push(`${level} ${msg ?? ''} ${JSON.stringify(obj)}`);
  return { github, deployments, authToken: async () => token, log: { info: log('info'), warn: log('warn'), error: log('error') }, logs };
}
