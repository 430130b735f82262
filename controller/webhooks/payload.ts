// Webhook payloads → the plain shapes the core works with. Only fields GitHub always sends are
// read; a payload without them is refused with a line naming the missing field.
import type { PullRequestRef } from '../core/ports/session.js';

interface RepositoryPayload {
  readonly name: string;
  readonly owner: { readonly login: string };
  readonly clone_url: string;
}

interface PullRequestPayload {
  readonly number: number;
  readonly state?: string;
  readonly user?: { readonly login: string } | null;
  readonly head: { readonly ref: string; readonly sha: string };
  readonly base: { readonly ref: string; readonly sha: string };
}

export class PayloadError extends Error {
  constructor(event: string, field: string) {
    super(`${event} payload has no ${field}`);
    this.name = 'PayloadError';
  }
}

function need<T>(value: T | undefined | null, event: string, field: string): T {
  if (value === undefined || value === null || value === '') throw new PayloadError(event, field);
  return value;
}

export function repositoryOf(
  event: string,
  payload: { repository?: RepositoryPayload },
): { owner: string; repo: string; cloneUrl: string } {
  const r = need(payload.repository, event, 'repository');
  return {
    owner: need(r.owner?.login, event, 'repository.owner.login'),
    repo: need(r.name, event, 'repository.name'),
    cloneUrl: need(r.clone_url, event, 'repository.clone_url'),
  };
}

export function pullRequestRef(
  event: string,
  payload: { repository?: RepositoryPayload; pull_request?: PullRequestPayload },
): PullRequestRef {
  const repo = repositoryOf(event, payload);
  const pr = need(payload.pull_request, event, 'pull_request');
  return {
    ...repo,
    number: need(pr.number, event, 'pull_request.number'),
    headRef: need(pr.head?.ref, event, 'pull_request.head.ref'),
    headSha: need(pr.head?.sha, event, 'pull_request.head.sha'),
    baseRef: need(pr.base?.ref, event, 'pull_request.base.ref'),
    baseSha: need(pr.base?.sha, event, 'pull_request.base.sha'),
    ...(pr.user?.login ? { author: pr.user.login } : {}),
  };
}

/** Serialization key of a pull request's jobs. */
export const pullRequestKey = (r: { owner: string; repo: string }, n: number): string => `${r.owner}/${r.repo}#${n}`;
