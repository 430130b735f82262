// Issue-side endpoints of pull requests: comments, labels, assignees (pull requests are issues).
import type { RouteHandler, SandboxContext } from '../context.js';
import { json, notFound, paginate } from '../http.js';
import { commentJson, issueJson, labelJson } from '../representations-pulls.js';
import type { CommentRecord, PullRecord } from '../state.js';
import { isoSeconds } from '../git.js';

function findIssue(ctx: SandboxContext, value: string | undefined): PullRecord {
  const pr = ctx.state.pull(Number(value));
  if (!pr) throw notFound(`issue #${value} (the sandbox only has pull requests)`);
  return pr;
}

function findComment(ctx: SandboxContext, value: string | undefined): CommentRecord {
  const comment = ctx.state.comments.find((c) => c.id === Number(value));
  if (!comment) throw notFound(`issue comment ${value}`);
  return comment;
}

const get: RouteHandler = async (ctx, req) => json(200, issueJson(ctx.site, ctx.state, findIssue(ctx, req.params.issue_number)));

const listComments: RouteHandler = async (ctx, req) => {
  const pr = findIssue(ctx, req.params.issue_number);
  const since = req.query.get('since');
  const comments = ctx.state.comments.filter((c) => c.issueNumber === pr.number && (!since || c.updatedAt >= since));
  return paginate(comments, req, (c) => commentJson(ctx.site, ctx.state, c));
};

const createComment: RouteHandler = async (ctx, req) => {
  const pr = findIssue(ctx, req.params.issue_number);
  const comment = await ctx.addComment(pr, req.actor.login, req.body.body);
  return json(201, commentJson(ctx.site, ctx.state, comment), {
    location: `${ctx.site.apiUrl}/repos/${ctx.site.owner}/${ctx.site.repo}/issues/comments/${comment.id}`,
  });
};

const getComment: RouteHandler = async (ctx, req) => json(200, commentJson(ctx.site, ctx.state, findComment(ctx, req.params.comment_id)));

const updateComment: RouteHandler = async (ctx, req) => {
  const comment = findComment(ctx, req.params.comment_id);
  const previous = comment.body;
  comment.body = req.body.body;
  comment.updatedAt = isoSeconds();
  const pr = findIssue(ctx, String(comment.issueNumber));
  if (previous !== comment.body) await ctx.sendCommentEdited(pr, comment, previous, req.actor.login);
  return json(200, commentJson(ctx.site, ctx.state, comment));
};

/** The body may be `{labels: [...]}` or a bare array; each label a name or `{name}`. */
function labelNames(body: unknown): string[] {
  const list = Array.isArray(body) ? body : ((body as { labels?: unknown[] } | undefined)?.labels ?? []);
  return list.map((item) => (typeof item === 'string' ? item : String((item as { name: string }).name)));
}

const addLabels: RouteHandler = async (ctx, req) => {
  const pr = findIssue(ctx, req.params.issue_number);
  for (const name of labelNames(req.body)) {
    const label = ctx.state.label(name);
    if (!pr.labels.includes(label.name)) pr.labels.push(label.name);
  }
  pr.updatedAt = isoSeconds();
  return json(
    200,
    pr.labels.map((name) => labelJson(ctx.site, ctx.state.label(name))),
  );
};

const addAssignees: RouteHandler = async (ctx, req) => {
  const pr = findIssue(ctx, req.params.issue_number);
  // GitHub silently skips people who cannot be assigned (no access to the repository).
  for (const login of (req.body?.assignees ?? []) as string[]) {
    if (ctx.state.permission(login) !== 'none' && !pr.assignees.includes(login)) pr.assignees.push(login);
  }
  pr.updatedAt = isoSeconds();
  return json(201, issueJson(ctx.site, ctx.state, pr));
};

export const issueRoutes: Record<string, RouteHandler> = {
  'issues/get': get,
  'issues/list-comments': listComments,
  'issues/create-comment': createComment,
  'issues/get-comment': getComment,
  'issues/update-comment': updateComment,
  'issues/add-labels': addLabels,
  'issues/add-assignees': addAssignees,
};
