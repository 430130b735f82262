// Deployments and deployment statuses, with GitHub's auto_merge, required_contexts and auto_inactive rules.
import type { RouteHandler, SandboxContext } from '../context.js';
import { isoSeconds } from '../git.js';
import { ApiError, json, notFound, paginate, validationFailed } from '../http.js';
import { deploymentJson, deploymentStatusJson } from '../representations-checks.js';
import type { DeploymentRecord, DeploymentStatusRecord } from '../state.js';
import { DEFAULT_BRANCH } from '../representations.js';

const PASSING = new Set(['success', 'neutral', 'skipped']);

/** Contexts (check runs and commit statuses) on `sha` that are not green. */
function failingContexts(ctx: SandboxContext, sha: string, required: string[] | undefined): string[] {
  const latest = new Map<string, boolean>();
  for (const run of ctx.state.checkRuns.filter((r) => r.headSha === sha))
    latest.set(run.name, run.status === 'completed' && PASSING.has(run.conclusion ?? ''));
  for (const status of ctx.state.statuses.filter((s) => s.sha === sha)) latest.set(status.context, status.state === 'success');
  const names = required ?? [...latest.keys()];
  return names.filter((name) => latest.get(name) !== true);
}

function findDeployment(ctx: SandboxContext, value: string | undefined): DeploymentRecord {
  const deployment = ctx.state.deployments.find((d) => d.id === Number(value));
  if (!deployment) throw notFound(`deployment ${value}`);
  return deployment;
}

const create: RouteHandler = async (ctx, req) => {
  const ref = String(req.body.ref);
  const sha = await ctx.repo.resolveCommit(ref);
  if (!sha) throw validationFailed('Deployment', 'ref', `No ref found for: ${ref}`);
  const mainSha = await ctx.repo.branchSha(DEFAULT_BRANCH);
  // GitHub's default auto_merge would merge the default branch into `ref`: the sandbox refuses instead
  // of silently rewriting an environment branch, so a controller that forgets auto_merge:false notices.
  if (req.body.auto_merge !== false && mainSha && !(await ctx.repo.isAncestor(mainSha, sha))) {
    throw new ApiError(409, `Sandbox: auto_merge would merge main into ${ref}; pass auto_merge: false`);
  }
  const failing = failingContexts(ctx, sha, req.body.required_contexts);
  if (failing.length) {
    throw new ApiError(409, `Conflict: Commit status checks failed for ${ref}.`, {
      errors: [{ contexts: failing.map((context) => ({ context, state: 'failure' })), resource: 'Deployment', field: 'required_contexts' }],
    });
  }
  const environment = req.body.environment ?? 'production';
  const now = isoSeconds();
  const deployment: DeploymentRecord = {
    id: ctx.state.newId(),
    sha,
    ref,
    task: req.body.task ?? 'deploy',
    environment,
    originalEnvironment: environment,
    payload: req.body.payload ?? {},
    description: req.body.description ?? null,
    creator: req.actor.login,
    createdAt: now,
    updatedAt: now,
    transientEnvironment: req.body.transient_environment === true,
    productionEnvironment: req.body.production_environment ?? environment === 'production',
    statuses: [],
  };
  ctx.state.deployments.push(deployment);
  return json(201, deploymentJson(ctx.site, ctx.state, deployment));
};

const list: RouteHandler = async (ctx, req) => {
  const q = req.query;
  const deployments = ctx.state.deployments
    .filter(
      (d) =>
        (!q.get('sha') || d.sha === q.get('sha')) &&
        (!q.get('ref') || d.ref === q.get('ref')) &&
        (!q.get('task') || d.task === q.get('task')) &&
        (!q.get('environment') || d.environment === q.get('environment')),
    )
    .reverse();
  return paginate(deployments, req, (d) => deploymentJson(ctx.site, ctx.state, d));
};

const createStatus: RouteHandler = async (ctx, req) => {
  const deployment = findDeployment(ctx, req.params.deployment_id);
  const status: DeploymentStatusRecord = {
    id: ctx.state.newId(),
    state: req.body.state,
    creator: req.actor.login,
    description: req.body.description ?? '',
    environment: req.body.environment ?? deployment.environment,
    targetUrl: req.body.target_url ?? req.body.log_url ?? '',
    logUrl: req.body.log_url ?? req.body.target_url ?? '',
    environmentUrl: req.body.environment_url ?? '',
    createdAt: isoSeconds(),
  };
  deployment.statuses.push(status);
  deployment.updatedAt = status.createdAt;
  if (status.environment !== deployment.environment) deployment.environment = status.environment;
  if (status.state === 'success' && req.body.auto_inactive !== false && !deployment.transientEnvironment) {
    markOthersInactive(ctx, deployment);
  }
  return json(201, deploymentStatusJson(ctx.site, ctx.state, deployment, status));
};

/** auto_inactive: earlier successful deployments to the same environment become inactive. */
function markOthersInactive(ctx: SandboxContext, current: DeploymentRecord): void {
  for (const other of ctx.state.deployments) {
    if (other === current || other.environment !== current.environment) continue;
    if (other.statuses.at(-1)?.state !== 'success') continue;
    other.statuses.push({
      ...(other.statuses.at(-1) as DeploymentStatusRecord),
      id: ctx.state.newId(),
      state: 'inactive',
      createdAt: isoSeconds(),
    });
  }
}

const listStatuses: RouteHandler = async (ctx, req) => {
  const deployment = findDeployment(ctx, req.params.deployment_id);
  return paginate([...deployment.statuses].reverse(), req, (s) => deploymentStatusJson(ctx.site, ctx.state, deployment, s));
};

export const deploymentRoutes: Record<string, RouteHandler> = {
  'repos/create-deployment': create,
  'repos/list-deployments': list,
  'repos/create-deployment-status': createStatus,
  'repos/list-deployment-statuses': listStatuses,
};
