// Webhook payloads shaped like GitHub's (compare @octokit/webhooks-examples; checked against the
// description's x-webhooks schemas at send time).
import { ZERO_SHA, type BareRepo, type CommitInfo } from './git.js';
import { repoHtml, type Site } from './representations.js';

export interface PushFacts {
  ref: string;
  before: string;
  after: string;
  pusher: { name: string; email: string };
  /** Branches/tags that existed before the push, to tell a new branch's own commits (GitHub's `distinct`). */
  otherTips: string[];
}

const PUSH_COMMIT_LIMIT = 20;

/** GitHub's webhook repository: like REST, plus `pushed_at`/`created_at` as epoch seconds in push events. */
export function webhookRepository(repo: Record<string, unknown>, forPush: boolean): Record<string, unknown> {
  if (!forPush) return repo;
  const epoch = (iso: unknown) => Math.floor(new Date(String(iso)).getTime() / 1000);
  return {
    ...repo,
    created_at: epoch(repo.created_at),
    pushed_at: epoch(repo.pushed_at),
    stargazers: 0,
    master_branch: repo.default_branch,
    organization: (repo.owner as { login: string }).login,
  };
}

export async function pushPayload(
  site: Site,
  git: BareRepo,
  facts: PushFacts,
  common: { repository: Record<string, unknown>; sender: Record<string, unknown>; installation: Record<string, unknown> },
): Promise<Record<string, unknown>> {
  const created = facts.before === ZERO_SHA;
  const deleted = facts.after === ZERO_SHA;
  const forced = !created && !deleted && !(await git.isAncestor(facts.before, facts.after));
  let commits: CommitInfo[] = [];
  if (!deleted) {
    const range = created ? [facts.after, ...facts.otherTips.map((tip) => `^${tip}`)] : `${facts.before}..${facts.after}`;
    commits = await git.commits(range).catch(() => []);
  }
  const recent = commits.slice(-PUSH_COMMIT_LIMIT);
  const rendered = await Promise.all(recent.map((c) => pushCommit(site, git, c)));
  const head = deleted ? null : (rendered.at(-1) ?? (await pushCommit(site, git, await git.commit(facts.after))));
  return {
    ref: facts.ref,
    before: facts.before,
    after: facts.after,
    repository: webhookRepository(common.repository, true),
    pusher: facts.pusher,
    sender: common.sender,
    installation: common.installation,
    created,
    deleted,
    forced,
    base_ref: null,
    compare: created
      ? `${repoHtml(site)}/commit/${facts.after.slice(0, 12)}`
      : `${repoHtml(site)}/compare/${facts.before.slice(0, 12)}...${facts.after.slice(0, 12)}`,
    commits: rendered,
    head_commit: head,
  };
}

async function pushCommit(site: Site, git: BareRepo, commit: CommitInfo): Promise<Record<string, unknown>> {
  const parent = commit.parents[0];
  const files = parent ? await git.diff(parent, commit.sha) : [];
  const username = (email: string) => /^([^@]+)@users\.noreply\./.exec(email)?.[1];
  const person = (p: CommitInfo['author']) => ({
    name: p.name,
    email: p.email,
    ...(username(p.email) ? { username: username(p.email) } : {}),
  });
  return {
    id: commit.sha,
    tree_id: commit.tree,
    distinct: true,
    message: commit.message,
    timestamp: commit.committer.date,
    url: `${repoHtml(site)}/commit/${commit.sha}`,
    author: person(commit.author),
    committer: person(commit.committer),
    added: files.filter((f) => f.status === 'added').map((f) => f.filename),
    removed: files.filter((f) => f.status === 'removed').map((f) => f.filename),
    modified: files.filter((f) => f.status !== 'added' && f.status !== 'removed').map((f) => f.filename),
  };
}
