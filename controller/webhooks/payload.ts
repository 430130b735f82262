// Webhook payloads: the shape of every field the controller reads, checked once at the intake
// (webhooks/intake.ts) before any handler runs, and the plain shapes the core works with. A payload
// that lacks a field, or has one of the wrong kind, is refused with one line naming the event and
// the field's path; the line never quotes the payload.
import { z } from 'zod';
import type { CompletedRun } from '../actions/workflow-runs.js';
import type { PullRequestRef } from '../core/ports/session.js';

const name = z.string().min(1);
/** A commit id: SHA-1, or SHA-256 for repositories in that object format. */
const sha = z.string().regex(/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/, 'must be a commit id of 40 or 64 lowercase hex digits');
const id = z.number().int().positive();

const repositorySchema = z.object({ name, owner: z.object({ login: name }), clone_url: name });

const pullRequestSchema = z.object({
  number: id,
  user: z.object({ login: z.string() }).nullish(),
  head: z.object({ ref: name, sha }),
  base: z.object({ ref: name, sha }),
});

/** What pullRequestRef reads: the repository and the pull request's number, refs and SHAs. */
const pullRequestRefSchema = z.object({ repository: repositorySchema, pull_request: pullRequestSchema });

/** Fields every event the controller handles carries: the action, and the installation Probot authenticates as. */
const eventSchema = z.object({ action: name, installation: z.object({ id }), repository: repositorySchema });
const pullRequestEventSchema = eventSchema.extend({
  pull_request: pullRequestSchema.extend({ state: name, merged: z.boolean().nullish() }),
});

/** A push carries no action: the branch, the tips before and after, and where to fetch from. */
const pushEventSchema = z.object({
  ref: name,
  before: sha,
  after: sha,
  // who pushed: for a merged pull request, who merged it
  sender: z.object({ login: z.string() }).nullish(),
  installation: z.object({ id }),
  repository: repositorySchema,
});

/** A run of a workflow: what the actions runner's waits (controller/actions/workflow-runs.ts) match and report. */
const workflowRunEventSchema = eventSchema.extend({
  workflow_run: z.object({
    id,
    // older payloads lack these two: such a run matches no wait
    display_title: z.string().nullish(),
    path: z.string().nullish(),
    event: name,
    conclusion: z.string().nullable(),
    html_url: name,
    created_at: name,
  }),
});

/** Per handled event, the fields its handler (webhooks/handlers.ts) reads. Other events are not checked. */
export const HANDLED_EVENT_SCHEMAS: Readonly<Record<string, z.ZodType>> = {
  pull_request: pullRequestEventSchema,
  pull_request_review: pullRequestEventSchema,
  push: pushEventSchema,
  issue_comment: eventSchema.extend({
    issue: z.object({ number: id, state: name, pull_request: z.object({}).nullish() }),
    comment: z.object({ id, body: z.string(), user: z.object({ login: name, type: name }).nullish() }),
  }),
  workflow_run: workflowRunEventSchema,
};

export class PayloadError extends Error {
  /** @param problem what is wrong with a field that is present; none means the field is missing. */
  constructor(
    readonly event: string,
    readonly field: string,
    problem?: string,
  ) {
    const what = field === '' ? `${event} payload` : `${event} payload: ${field}`;
    super(problem === undefined ? `${event} payload has no ${field}` : `${what} is invalid (${problem})`);
    this.name = 'PayloadError';
  }
}

function valueAt(payload: unknown, path: readonly PropertyKey[]): unknown {
  let value = payload;
  for (const key of path) value = value !== null && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined;
  return value;
}

/** The payload as T, or a PayloadError naming the first field that is missing or malformed. */
function parse<T>(schema: z.ZodType<T>, event: string, payload: unknown): T {
  const result = schema.safeParse(payload);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const field = issue.path.map(String).join('.');
  const value = valueAt(payload, issue.path);
  const missing = issue.path.length > 0 && (value === undefined || value === null || value === '');
  // zod's messages name the expected kind, never the value, so they are safe to log.
  throw new PayloadError(event, field, missing ? undefined : issue.message.replace(/^Invalid input: /, ''));
}

/** Throws a PayloadError if a handled event's payload lacks a field its handler reads. */
export function checkPayload(event: string, payload: unknown): void {
  const schema = HANDLED_EVENT_SCHEMAS[event];
  if (schema) parse(schema, event, payload);
}

/** Owner, name and clone URL of a payload's repository. */
const repositoryFields = (r: z.infer<typeof repositorySchema>) => ({ owner: r.owner.login, repo: r.name, cloneUrl: r.clone_url });

export function repositoryOf(event: string, payload: unknown): { owner: string; repo: string; cloneUrl: string } {
  return repositoryFields(parse(z.object({ repository: repositorySchema }), event, payload).repository);
}

export function pullRequestRef(event: string, payload: unknown): PullRequestRef {
  const { repository: r, pull_request: pr } = parse(pullRequestRefSchema, event, payload);
  return {
    ...repositoryFields(r),
    number: pr.number,
    headRef: pr.head.ref,
    headSha: pr.head.sha,
    baseRef: pr.base.ref,
    baseSha: pr.base.sha,
    ...(pr.user?.login ? { author: pr.user.login } : {}),
  };
}

/** A completed workflow run, as the actions runner's waits take it. */
export function completedRunOf(event: string, payload: unknown): CompletedRun {
  const { repository: r, workflow_run: run } = parse(workflowRunEventSchema, event, payload);
  const { owner, repo } = repositoryFields(r);
  return {
    owner,
    repo,
    id: run.id,
    title: run.display_title ?? '',
    path: run.path ?? '',
    event: run.event,
    conclusion: run.conclusion,
    htmlUrl: run.html_url,
    createdAt: run.created_at,
  };
}

/** Serialization key of a pull request's jobs. */
export const pullRequestKey = (r: { owner: string; repo: string }, n: number): string => `${r.owner}/${r.repo}#${n}`;

/** A push to a branch (refs/heads/…); undefined for tags and other refs. */
export function pushRef(
  event: string,
  payload: unknown,
): { owner: string; repo: string; cloneUrl: string; branch: string; before: string; after: string; sender?: string } | undefined {
  const push = parse(pushEventSchema, event, payload);
  if (!push.ref.startsWith('refs/heads/')) return undefined;
  return {
    ...repositoryFields(push.repository),
    branch: push.ref.slice('refs/heads/'.length),
    before: push.before,
    after: push.after,
    ...(push.sender?.login ? { sender: push.sender.login } : {}),
  };
}
