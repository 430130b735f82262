// GitHub's JSON shapes for pull requests, issues, comments, reviews and labels.
import { nodeId, repoApi, repoHtml, userJson, type Site } from './representations.js';
import type { CommentRecord, LabelRecord, PullRecord, ReviewRecord, SandboxState } from './state.js';

/** What git says about a pull request at the moment it is rendered. */
export interface PullFacts {
  commits: number;
  additions: number;
  deletions: number;
  changedFiles: number;
  mergeable: boolean | null;
}

export function labelJson(site: Site, label: LabelRecord): Record<string, unknown> {
  return {
    id: label.id,
    node_id: nodeId('Label', label.id),
    url: `${repoApi(site)}/labels/${encodeURIComponent(label.name)}`,
    name: label.name,
    // GitHub's description of a pull request's labels (pull-request-simple) has no null description: an empty one is ''
    description: '',
    color: label.color,
    default: false,
  };
}

function user(site: Site, state: SandboxState, login: string): Record<string, unknown> {
  return userJson(site, state.user(login));
}

function authorAssociation(state: SandboxState, login: string): string {
  const permission = state.permission(login);
  return permission === 'admin' || permission === 'maintain' || permission === 'write' ? 'MEMBER' : 'CONTRIBUTOR';
}

export function pullJson(
  site: Site,
  state: SandboxState,
  pr: PullRecord,
  facts: PullFacts,
  repo: Record<string, unknown>,
): Record<string, unknown> {
  const api = `${repoApi(site)}/pulls/${pr.number}`;
  const issueApi = `${repoApi(site)}/issues/${pr.number}`;
  const html = `${repoHtml(site)}/pull/${pr.number}`;
  const owner = user(site, state, site.owner);
  const side = (ref: string, sha: string) => ({ label: `${site.owner}:${ref}`, ref, sha, user: owner, repo });
  return {
    url: api,
    id: pr.id,
    node_id: nodeId('PullRequest', pr.id),
    html_url: html,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    issue_url: issueApi,
    commits_url: `${api}/commits`,
    review_comments_url: `${api}/comments`,
    review_comment_url: `${repoApi(site)}/pulls/comments{/number}`,
    comments_url: `${issueApi}/comments`,
    statuses_url: `${repoApi(site)}/statuses/${pr.headSha}`,
    number: pr.number,
    state: pr.state,
    locked: false,
    title: pr.title,
    user: user(site, state, pr.user),
    body: pr.body,
    labels: pr.labels.map((name) => labelJson(site, state.label(name))),
    milestone: null,
    active_lock_reason: null,
    created_at: pr.createdAt,
    updated_at: pr.updatedAt,
    closed_at: pr.closedAt,
    merged_at: pr.mergedAt,
    merge_commit_sha: pr.mergeCommitSha,
    assignee: pr.assignees[0] ? user(site, state, pr.assignees[0]) : null,
    assignees: pr.assignees.map((login) => user(site, state, login)),
    requested_reviewers: pr.requestedReviewers.map((login) => user(site, state, login)),
    requested_teams: [],
    head: side(pr.headRef, pr.headSha),
    base: side(pr.baseRef, pr.baseSha),
    _links: {
      self: { href: api },
      html: { href: html },
      issue: { href: issueApi },
      comments: { href: `${issueApi}/comments` },
      review_comments: { href: `${api}/comments` },
      review_comment: { href: `${repoApi(site)}/pulls/comments{/number}` },
      commits: { href: `${api}/commits` },
      statuses: { href: `${repoApi(site)}/statuses/${pr.headSha}` },
    },
    author_association: authorAssociation(state, pr.user),
    auto_merge: null,
    draft: pr.draft,
    merged: pr.merged,
    mergeable: facts.mergeable,
    rebaseable: facts.mergeable,
    mergeable_state: pr.state === 'closed' ? 'unknown' : facts.mergeable === false ? 'dirty' : 'clean',
    merged_by: pr.mergedBy ? user(site, state, pr.mergedBy) : null,
    comments: state.comments.filter((c) => c.issueNumber === pr.number).length,
    review_comments: 0,
    maintainer_can_modify: false,
    commits: facts.commits,
    additions: facts.additions,
    deletions: facts.deletions,
    changed_files: facts.changedFiles,
  };
}

export function issueJson(site: Site, state: SandboxState, pr: PullRecord): Record<string, unknown> {
  const api = `${repoApi(site)}/issues/${pr.number}`;
  return {
    id: pr.id,
    node_id: nodeId('Issue', pr.id),
    url: api,
    repository_url: repoApi(site),
    labels_url: `${api}/labels{/name}`,
    comments_url: `${api}/comments`,
    events_url: `${api}/events`,
    html_url: `${repoHtml(site)}/pull/${pr.number}`,
    number: pr.number,
    state: pr.state,
    state_reason: null,
    title: pr.title,
    body: pr.body,
    user: user(site, state, pr.user),
    labels: pr.labels.map((name) => labelJson(site, state.label(name))),
    assignee: pr.assignees[0] ? user(site, state, pr.assignees[0]) : null,
    assignees: pr.assignees.map((login) => user(site, state, login)),
    milestone: null,
    locked: false,
    active_lock_reason: null,
    comments: state.comments.filter((c) => c.issueNumber === pr.number).length,
    pull_request: {
      url: `${repoApi(site)}/pulls/${pr.number}`,
      html_url: `${repoHtml(site)}/pull/${pr.number}`,
      diff_url: `${repoHtml(site)}/pull/${pr.number}.diff`,
      patch_url: `${repoHtml(site)}/pull/${pr.number}.patch`,
      merged_at: pr.mergedAt,
    },
    closed_at: pr.closedAt,
    created_at: pr.createdAt,
    updated_at: pr.updatedAt,
    draft: pr.draft,
    author_association: authorAssociation(state, pr.user),
    reactions: reactions(`${api}/reactions`),
    timeline_url: `${api}/timeline`,
    performed_via_github_app: null,
  };
}

export function commentJson(site: Site, state: SandboxState, comment: CommentRecord): Record<string, unknown> {
  const api = `${repoApi(site)}/issues/comments/${comment.id}`;
  return {
    id: comment.id,
    node_id: nodeId('IssueComment', comment.id),
    url: api,
    html_url: `${repoHtml(site)}/pull/${comment.issueNumber}#issuecomment-${comment.id}`,
    body: comment.body,
    user: user(site, state, comment.user),
    created_at: comment.createdAt,
    updated_at: comment.updatedAt,
    issue_url: `${repoApi(site)}/issues/${comment.issueNumber}`,
    author_association: authorAssociation(state, comment.user),
    performed_via_github_app: null,
    reactions: reactions(`${api}/reactions`),
  };
}

/** REST reviews say APPROVED; webhook reviews say approved (GitHub's own inconsistency, kept). */
export function reviewJson(site: Site, state: SandboxState, review: ReviewRecord, webhook = false): Record<string, unknown> {
  const pullApi = `${repoApi(site)}/pulls/${review.pullNumber}`;
  const html = `${repoHtml(site)}/pull/${review.pullNumber}#pullrequestreview-${review.id}`;
  return {
    id: review.id,
    node_id: nodeId('PullRequestReview', review.id),
    user: user(site, state, review.user),
    body: review.body === '' && webhook ? null : review.body,
    state: webhook ? review.state.toLowerCase() : review.state,
    html_url: html,
    pull_request_url: pullApi,
    _links: { html: { href: html }, pull_request: { href: pullApi } },
    submitted_at: review.submittedAt,
    commit_id: review.commitId,
    author_association: authorAssociation(state, review.user),
  };
}

function reactions(url: string): Record<string, unknown> {
  return { url, total_count: 0, '+1': 0, '-1': 0, laugh: 0, confused: 0, heart: 0, hooray: 0, eyes: 0, rocket: 0 };
}
