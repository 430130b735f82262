// Repository-level endpoints: the repository, file contents from git, permissions, commit statuses.
import type { RouteHandler } from '../context.js';
import { isoSeconds } from '../git.js';
import { json, notFound, paginate, validationFailed } from '../http.js';
import { commitStatusJson } from '../representations-checks.js';
import { contentEntryJson, contentFileJson } from '../representations-git.js';
import { userJson } from '../representations.js';
import type { CommitStatusRecord, Permission } from '../state.js';

const getRepo: RouteHandler = async (ctx) => json(200, ctx.repoJson());

const getContent: RouteHandler = async (ctx, req) => {
  const path = (req.params.path ?? '').replace(/^\/+|\/+$/g, '');
  if (path.split('/').some((part) => part === '..' || part === '.')) throw notFound(`path ${path}`);
  const ref = req.query.get('ref') ?? 'main';
  const sha = await ctx.repo.resolveCommit(ref);
  if (!sha) throw notFound(`No commit found for the ref ${ref}`);
  const type = await ctx.repo.objectType(sha, path);
  if (type === 'tree') {
    const entries = await ctx.repo.tree(sha, path);
    return json(
      200,
      entries.map((entry) => contentEntryJson(ctx.site, path, entry, ref)),
    );
  }
  if (type !== 'blob') throw notFound(`${path} at ${ref}`);
  const blob = await ctx.repo.blob(sha, path);
  if (/\.raw\b/.test(req.accept))
    return { status: 200, raw: blob.content, headers: { 'content-type': 'application/vnd.github.raw; charset=utf-8' } };
  return json(200, contentFileJson(ctx.site, path, blob.sha, blob.content, ref));
};

/** `permission` is the legacy 4-level view (maintain → write, triage → read); `role_name` is exact. */
const LEGACY: Record<Permission, string> = {
  admin: 'admin',
  maintain: 'write',
  write: 'write',
  triage: 'read',
  read: 'read',
  none: 'none',
};

const getPermission: RouteHandler = async (ctx, req) => {
  const login = req.params.username as string;
  const role = ctx.state.permission(login);
  return json(200, {
    permission: LEGACY[role],
    role_name: role,
    user: { ...userJson(ctx.site, ctx.state.user(login)), role_name: role },
  });
};

const createStatus: RouteHandler = async (ctx, req) => {
  const sha = req.params.sha as string;
  if ((await ctx.repo.resolveCommit(sha)) !== sha) throw validationFailed('Status', 'sha', `No commit found for SHA: ${sha}`);
  const now = isoSeconds();
  const status: CommitStatusRecord = {
    id: ctx.state.newId(),
    sha,
    state: req.body.state,
    context: req.body.context ?? 'default',
    description: req.body.description ?? null,
    targetUrl: req.body.target_url ?? null,
    creator: req.actor.login,
    createdAt: now,
    updatedAt: now,
  };
  ctx.state.statuses.push(status);
  return json(201, commitStatusJson(ctx.site, ctx.state, status));
};

const listStatuses: RouteHandler = async (ctx, req) => {
  const sha = await ctx.repo.resolveCommit(req.params.ref as string);
  if (!sha) throw notFound(`No commit found for the ref ${req.params.ref}`);
  const statuses = ctx.state.statuses.filter((s) => s.sha === sha).reverse();
  return paginate(statuses, req, (s) => commitStatusJson(ctx.site, ctx.state, s));
};

export const repoRoutes: Record<string, RouteHandler> = {
  'repos/get': getRepo,
  'repos/get-content': getContent,
  'repos/get-collaborator-permission-level': getPermission,
  'repos/create-commit-status': createStatus,
  'repos/list-commit-statuses-for-ref': listStatuses,
};
