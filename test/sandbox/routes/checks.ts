// Check runs: create, update, get, list for a ref. Status/conclusion follow GitHub's rules.
import type { RouteHandler, SandboxContext } from '../context.js';
import { isoSeconds } from '../git.js';
import { json, notFound, paginate, validationFailed, type ApiRequest } from '../http.js';
import { checkRunJson } from '../representations-checks.js';
import type { CheckRunRecord } from '../state.js';

const suites = new WeakMap<SandboxContext, Map<string, number>>();

function suiteId(ctx: SandboxContext, sha: string): number {
  let bySha = suites.get(ctx);
  if (!bySha) suites.set(ctx, (bySha = new Map()));
  let id = bySha.get(sha);
  if (id === undefined) bySha.set(sha, (id = ctx.state.newId()));
  return id;
}

/** Applies the writable fields of a create/update body to `run`, enforcing status/conclusion rules. */
function apply(run: CheckRunRecord, body: Record<string, unknown>): void {
  if (typeof body.name === 'string') run.name = body.name;
  if (typeof body.details_url === 'string') run.detailsUrl = body.details_url;
  if (typeof body.external_id === 'string') run.externalId = body.external_id;
  if (typeof body.started_at === 'string') run.startedAt = body.started_at;
  if (typeof body.status === 'string') run.status = body.status as CheckRunRecord['status'];
  if (typeof body.conclusion === 'string') {
    run.conclusion = body.conclusion;
    run.status = 'completed';
  }
  if (typeof body.completed_at === 'string') {
    if (!run.conclusion) throw validationFailed('CheckRun', 'conclusion', 'conclusion is required when completed_at is given');
    run.completedAt = body.completed_at;
  }
  if (run.status === 'completed') {
    if (!run.conclusion) throw validationFailed('CheckRun', 'conclusion', 'conclusion is required when status is completed');
    run.completedAt ??= isoSeconds();
  } else if (run.conclusion) {
    throw validationFailed('CheckRun', 'status', `status ${run.status} contradicts conclusion ${run.conclusion}`);
  }
  const output = body.output as { title?: string; summary?: string; text?: string; annotations?: unknown[] } | undefined;
  if (output) {
    run.output = {
      title: output.title ?? run.output.title,
      summary: output.summary ?? run.output.summary,
      text: output.text ?? run.output.text,
      annotationsCount: run.output.annotationsCount + (output.annotations?.length ?? 0),
    };
  }
  run.history.push({ status: run.status, conclusion: run.conclusion, title: run.output.title, at: isoSeconds() });
}

function findRun(ctx: SandboxContext, value: string | undefined): CheckRunRecord {
  const run = ctx.state.checkRuns.find((r) => r.id === Number(value));
  if (!run) throw notFound(`check run ${value}`);
  return run;
}

const create: RouteHandler = async (ctx, req) => {
  const sha = String(req.body.head_sha);
  const commit = /^[0-9a-f]{40}$/.test(sha) ? await ctx.repo.resolveCommit(sha) : undefined;
  if (commit !== sha) throw validationFailed('CheckRun', 'head_sha', `No commit found for SHA: ${sha}`);
  const run: CheckRunRecord = {
    id: ctx.state.newId(),
    name: String(req.body.name),
    headSha: sha,
    status: 'queued',
    conclusion: null,
    startedAt: isoSeconds(),
    completedAt: null,
    externalId: '',
    detailsUrl: null,
    output: { title: null, summary: null, text: null, annotationsCount: 0 },
    checkSuiteId: suiteId(ctx, sha),
    history: [],
  };
  apply(run, req.body);
  ctx.state.checkRuns.push(run);
  return json(201, checkRunJson(ctx.site, run, ctx.state.pulls));
};

const update: RouteHandler = async (ctx, req) => {
  const run = findRun(ctx, req.params.check_run_id);
  const before = structuredClone(run);
  try {
    apply(run, req.body ?? {});
  } catch (error) {
    Object.assign(run, before);
    throw error;
  }
  return json(200, checkRunJson(ctx.site, run, ctx.state.pulls));
};

const get: RouteHandler = async (ctx, req) => json(200, checkRunJson(ctx.site, findRun(ctx, req.params.check_run_id), ctx.state.pulls));

const listForRef: RouteHandler = async (ctx, req: ApiRequest) => {
  const sha = await ctx.repo.resolveCommit(req.params.ref as string);
  if (!sha) throw validationFailed('Commit', 'ref', `No commit found for SHA: ${req.params.ref}`);
  const name = req.query.get('check_name');
  const status = req.query.get('status');
  let runs = ctx.state.checkRuns.filter((r) => r.headSha === sha && (!name || r.name === name) && (!status || r.status === status));
  if ((req.query.get('filter') ?? 'latest') === 'latest') {
    const latest = new Map<string, CheckRunRecord>();
    for (const run of runs) latest.set(run.name, run);
    runs = [...latest.values()];
  }
  runs = [...runs].sort((a, b) => b.id - a.id);
  const page = paginate(runs, req, (run) => checkRunJson(ctx.site, run, ctx.state.pulls));
  return { ...page, body: { total_count: runs.length, check_runs: page.body } };
};

export const checkRoutes: Record<string, RouteHandler> = {
  'checks/create': create,
  'checks/update': update,
  'checks/get': get,
  'checks/list-for-ref': listForRef,
};
