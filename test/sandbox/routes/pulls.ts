// Pull requests: get, list, create, update, files, reviews.
import type { RouteHandler, ReviewEvent, SandboxContext } from '../context.js';
import { ApiError, json, notFound, paginate, validationFailed } from '../http.js';
import { reviewJson } from '../representations-pulls.js';
import { diffEntryJson } from '../representations-git.js';
import { repoApi } from '../representations.js';
import type { PullRecord } from '../state.js';

export function findPull(ctx: SandboxContext, value: string | undefined): PullRecord {
  const pr = ctx.state.pull(Number(value));
  if (!pr) throw notFound(`pull request #${value}`);
  return pr;
}

const get: RouteHandler = async (ctx, req) => json(200, await ctx.pullJson(findPull(ctx, req.params.pull_number)));

const list: RouteHandler = async (ctx, req) => {
  const state = req.query.get('state') ?? 'open';
  const head = req.query.get('head');
  const base = req.query.get('base');
  const direction = req.query.get('direction') ?? 'desc';
  const matching = ctx.state.pulls.filter(
    (pr) =>
      (state === 'all' || pr.state === state) &&
      (!head || head === `${ctx.site.owner}:${pr.headRef}` || head === pr.headRef) &&
      (!base || base === pr.baseRef),
  );
  const sorted = [...matching].sort((a, b) => (direction === 'asc' ? a.number - b.number : b.number - a.number));
  const rendered = await Promise.all(sorted.map((pr) => ctx.pullJson(pr, true)));
  return paginate(rendered, req, simplify);
};

const create: RouteHandler = async (ctx, req) => {
  const head = String(req.body.head).replace(new RegExp(`^${ctx.site.owner}:`), '');
  const base = String(req.body.base);
  if (typeof req.body.title !== 'string')
    throw validationFailed('PullRequest', 'title', 'title is required (the sandbox does not convert issues)');
  const pr = await ctx.createPull({
    head,
    base,
    title: req.body.title,
    body: req.body.body ?? null,
    user: req.actor.login,
    draft: req.body.draft === true,
  });
  return json(201, await ctx.pullJson(pr), { location: `${repoApi(ctx.site)}/pulls/${pr.number}` });
};

const update: RouteHandler = async (ctx, req) => {
  const pr = findPull(ctx, req.params.pull_number);
  const changes: Record<string, unknown> = {};
  if (typeof req.body.title === 'string' && req.body.title !== pr.title) {
    changes.title = { from: pr.title };
    pr.title = req.body.title;
  }
  if (req.body.body !== undefined && req.body.body !== pr.body) {
    changes.body = { from: pr.body ?? '' };
    pr.body = req.body.body;
  }
  if (typeof req.body.base === 'string' && req.body.base !== pr.baseRef) {
    const sha = await ctx.repo.branchSha(req.body.base);
    if (!sha) throw validationFailed('PullRequest', 'base', `base branch ${req.body.base} does not exist`);
    changes.base = { ref: { from: pr.baseRef }, sha: { from: pr.baseSha } };
    pr.baseRef = req.body.base;
    pr.baseSha = sha;
  }
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  let stateAction: 'closed' | 'reopened' | undefined;
  if (req.body.state && req.body.state !== pr.state) {
    if (pr.merged) throw validationFailed('PullRequest', 'state', 'a merged pull request cannot be reopened');
    pr.state = req.body.state;
    pr.closedAt = pr.state === 'closed' ? now : null;
    stateAction = pr.state === 'closed' ? 'closed' : 'reopened';
  }
  pr.updatedAt = now;
  if (Object.keys(changes).length) await ctx.sendPullEvent(pr, 'edited', req.actor.login, { changes });
  if (stateAction) await ctx.sendPullEvent(pr, stateAction, req.actor.login);
  return json(200, await ctx.pullJson(pr));
};

const listFiles: RouteHandler = async (ctx, req) => {
  const pr = findPull(ctx, req.params.pull_number);
  const mergeBase = (await ctx.repo.mergeBase(pr.baseSha, pr.headSha)) ?? pr.baseSha;
  const files = await ctx.repo.diff(mergeBase, pr.headSha);
  return paginate(files, req, (file) => diffEntryJson(ctx.site, file, pr.headSha));
};

const listReviews: RouteHandler = async (ctx, req) => {
  const pr = findPull(ctx, req.params.pull_number);
  const reviews = ctx.state.reviews.filter((r) => r.pullNumber === pr.number && (r.state !== 'PENDING' || r.user === req.actor.login));
  return paginate(reviews, req, (review) => reviewJson(ctx.site, ctx.state, review));
};

const createReview: RouteHandler = async (ctx, req) => {
  const pr = findPull(ctx, req.params.pull_number);
  if (Array.isArray(req.body?.comments) && req.body.comments.length) {
    throw new ApiError(422, 'Sandbox: line comments on reviews are not served');
  }
  const event: ReviewEvent = req.body?.event ?? 'PENDING';
  const review = await ctx.submitReview({ pr, user: req.actor.login, event, body: req.body?.body ?? '', commitId: req.body?.commit_id });
  return json(200, reviewJson(ctx.site, ctx.state, review));
};

const SIMPLE_ONLY_DROP = [
  'additions',
  'deletions',
  'changed_files',
  'commits',
  'mergeable',
  'rebaseable',
  'mergeable_state',
  'merged',
  'merged_by',
  'comments',
  'review_comments',
  'maintainer_can_modify',
];

/** pull-request-simple: what list endpoints return (no git statistics, no mergeability). */
function simplify(full: Record<string, unknown>): Record<string, unknown> {
  const copy = { ...full };
  for (const key of SIMPLE_ONLY_DROP) delete copy[key];
  return copy;
}

/** The pull requests a commit belongs to: merged with it as the merge commit, or with it as their head. */
const listForCommit: RouteHandler = async (ctx, req) => {
  const sha = await ctx.repo.resolveCommit(String(req.params.commit_sha));
  if (!sha) throw validationFailed('Commit', 'commit_sha', `No commit found for SHA: ${req.params.commit_sha}`);
  const matching = ctx.state.pulls.filter((pr) => pr.mergeCommitSha === sha || pr.headSha === sha);
  const rendered = await Promise.all(matching.map((pr) => ctx.pullJson(pr, true)));
  return paginate(rendered, req, simplify);
};

/** Asks users and teams to review. Like GitHub: the author and people without access are refused (422). */
const requestReviewers: RouteHandler = async (ctx, req) => {
  const pr = findPull(ctx, req.params.pull_number);
  const users = (req.body?.reviewers ?? []) as string[];
  const teams = (req.body?.team_reviewers ?? []) as string[];
  const refused = users.filter((login) => login === pr.user || ctx.state.permission(login) === 'none');
  if (refused.length > 0)
    throw validationFailed('PullRequest', 'reviewers', `Reviews may only be requested from collaborators: ${refused.join(', ')}`);
  for (const login of users) if (!pr.requestedReviewers.includes(login)) pr.requestedReviewers.push(login);
  for (const slug of teams) if (!pr.requestedTeams.includes(slug)) pr.requestedTeams.push(slug);
  return json(201, simplify(await ctx.pullJson(pr, true)));
};

export const pullRoutes: Record<string, RouteHandler> = {
  'pulls/request-reviewers': requestReviewers,
  'repos/list-pull-requests-associated-with-commit': listForCommit,
  'pulls/get': get,
  'pulls/list': list,
  'pulls/create': create,
  'pulls/update': update,
  'pulls/list-files': listFiles,
  'pulls/list-reviews': listReviews,
  'pulls/create-review': createReview,
};
