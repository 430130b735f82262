// Git data over REST: refs (get/create/update), compare, commits (with their diff, or the git object alone), branches.
import type { RouteHandler, SandboxContext } from '../context.js';
import { ZERO_SHA } from '../git.js';
import { ApiError, json, notFound, validationFailed } from '../http.js';
import { commitJson, diffEntryJson, gitCommitJson, refJson } from '../representations-git.js';
import { repoApi, repoHtml } from '../representations.js';

async function resolveOr404(ctx: SandboxContext, rev: string): Promise<string> {
  const sha = await ctx.repo.resolveCommit(rev.replace(new RegExp(`^${ctx.site.owner}:`), ''));
  if (!sha) throw notFound(`No commit found for the ref ${rev}`);
  return sha;
}

const getRef: RouteHandler = async (ctx, req) => {
  const ref = `refs/${req.params.ref}`;
  const sha = (await ctx.repo.refs()).get(ref);
  if (!sha) throw notFound(`ref ${ref}`);
  return json(200, refJson(ctx.site, ref, sha));
};

const createRef: RouteHandler = async (ctx, req) => {
  const ref = String(req.body.ref);
  const sha = String(req.body.sha);
  if (!/^refs\/[^/]+\/.+/.test(ref) || !(await ctx.repo.isValidRefName(ref))) {
    throw validationFailed('Reference', 'ref', `Reference name must start with 'refs/' and have at least two slashes: ${ref}`);
  }
  if ((await ctx.repo.resolveCommit(sha)) !== sha) throw validationFailed('Reference', 'sha', `Object does not exist: ${sha}`);
  if ((await ctx.repo.refs()).has(ref)) throw validationFailed('Reference', 'ref', 'Reference already exists');
  if (!(await ctx.updateRef(ref, sha, ZERO_SHA, req.actor.login))) throw validationFailed('Reference', 'ref', 'Reference already exists');
  return json(201, refJson(ctx.site, ref, sha), { location: `${repoApi(ctx.site)}/git/${ref}` });
};

const updateRef: RouteHandler = async (ctx, req) => {
  const ref = `refs/${req.params.ref}`;
  const sha = String(req.body.sha);
  const current = (await ctx.repo.refs()).get(ref);
  if (!current) throw validationFailed('Reference', 'ref', 'Reference does not exist');
  if ((await ctx.repo.resolveCommit(sha)) !== sha) throw validationFailed('Reference', 'sha', `Object does not exist: ${sha}`);
  if (req.body.force !== true && !(await ctx.repo.isAncestor(current, sha))) {
    throw validationFailed('Reference', 'sha', 'Update is not a fast forward');
  }
  if (!(await ctx.updateRef(ref, sha, current, req.actor.login))) {
    throw new ApiError(409, `Reference ${ref} moved while it was being updated`);
  }
  return json(200, refJson(ctx.site, ref, sha));
};

async function compare(ctx: SandboxContext, baseRev: string, headRev: string) {
  const base = await resolveOr404(ctx, baseRev);
  const head = await resolveOr404(ctx, headRev);
  const mergeBase = await ctx.repo.mergeBase(base, head);
  if (!mergeBase) throw notFound(`No common ancestor between ${baseRev} and ${headRev}`);
  const ahead = await ctx.repo.count(`${base}..${head}`);
  const behind = await ctx.repo.count(`${head}..${base}`);
  const status = ahead === 0 && behind === 0 ? 'identical' : behind === 0 ? 'ahead' : ahead === 0 ? 'behind' : 'diverged';
  const commits = await ctx.repo.commits(`${base}..${head}`);
  const files = await ctx.repo.diff(mergeBase, head);
  const html = `${repoHtml(ctx.site)}/compare/${baseRev}...${headRev}`;
  return json(200, {
    url: `${repoApi(ctx.site)}/compare/${baseRev}...${headRev}`,
    html_url: html,
    permalink_url: `${repoHtml(ctx.site)}/compare/${ctx.site.owner}:${base}...${ctx.site.owner}:${head}`,
    diff_url: `${html}.diff`,
    patch_url: `${html}.patch`,
    base_commit: commitJson(ctx.site, ctx.state, await ctx.repo.commit(base)),
    merge_base_commit: commitJson(ctx.site, ctx.state, await ctx.repo.commit(mergeBase)),
    status,
    ahead_by: ahead,
    behind_by: behind,
    total_commits: ahead,
    commits: commits.map((c) => commitJson(ctx.site, ctx.state, c)),
    files: files.map((f) => diffEntryJson(ctx.site, f, head)),
  });
}

const compareCommits: RouteHandler = async (ctx, req) => compare(ctx, req.params.base as string, req.params.head as string);

const compareBasehead: RouteHandler = async (ctx, req) => {
  const [base, head, ...rest] = (req.params.basehead as string).split('...');
  if (!base || !head || rest.length) throw notFound(`basehead must be BASE...HEAD, got ${req.params.basehead}`);
  return compare(ctx, base, head);
};

const getCommit: RouteHandler = async (ctx, req) => {
  const sha = await ctx.repo.resolveCommit(req.params.ref as string);
  if (!sha) throw new ApiError(422, `No commit found for SHA: ${req.params.ref}`);
  const info = await ctx.repo.commit(sha);
  const parent = info.parents[0];
  const files = parent ? await ctx.repo.diff(parent, sha) : [];
  const additions = files.reduce((n, f) => n + f.additions, 0);
  const deletions = files.reduce((n, f) => n + f.deletions, 0);
  return json(200, {
    ...commitJson(ctx.site, ctx.state, info),
    stats: { additions, deletions, total: additions + deletions },
    files: files.map((f) => diffEntryJson(ctx.site, f, sha)),
  });
};

/** git/get-commit: the commit object alone (its tree, parents, author), as GitHub's git data API gives it. */
const getGitCommit: RouteHandler = async (ctx, req) => {
  const requested = req.params.commit_sha as string;
  const sha = /^[0-9a-f]{40}$/.test(requested) ? await ctx.repo.resolveCommit(requested) : undefined;
  if (sha !== requested) throw notFound(`commit ${requested}`);
  const info = await ctx.repo.commit(sha);
  return json(200, gitCommitJson(ctx.site, info));
};

const getBranch: RouteHandler = async (ctx, req) => {
  const name = req.params.branch as string;
  const sha = await ctx.repo.branchSha(name);
  if (!sha) throw notFound(`Branch not found: ${name}`);
  const api = `${repoApi(ctx.site)}/branches/${name}`;
  return json(200, {
    name,
    commit: commitJson(ctx.site, ctx.state, await ctx.repo.commit(sha)),
    _links: { self: api, html: `${repoHtml(ctx.site)}/tree/${name}` },
    protected: false,
    protection: { enabled: false, required_status_checks: { enforcement_level: 'off', contexts: [], checks: [] } },
    protection_url: `${api}/protection`,
  });
};

export const gitRoutes: Record<string, RouteHandler> = {
  'git/get-ref': getRef,
  'git/create-ref': createRef,
  'git/update-ref': updateRef,
  'repos/compare-commits': compareCommits,
  'repos/compare-commits-with-basehead': compareBasehead,
  'repos/get-commit': getCommit,
  'git/get-commit': getGitCommit,
  'repos/get-branch': getBranch,
};
