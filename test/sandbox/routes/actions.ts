// GitHub Actions: workflow dispatch (recorded as a queued run), a run's artifacts and their download.
import type { RouteHandler } from '../context.js';
import { artifactDownloadUrl, artifactJson, dispatchWorkflow } from '../actions.js';
import { json, notFound } from '../http.js';

const dispatch: RouteHandler = async (ctx, req) => {
  await dispatchWorkflow(ctx.state, ctx.repo, {
    workflow: req.params.workflow_id ?? '',
    ref: req.body.ref,
    inputs: req.body.inputs ?? {},
    actor: req.actor.login,
  });
  return { status: 204, raw: Buffer.alloc(0), headers: { 'content-type': 'text/plain' } };
};

const listRunArtifacts: RouteHandler = async (ctx, req) => {
  const run = ctx.state.workflowRuns.find((r) => r.id === Number(req.params.run_id));
  if (!run) throw notFound(`workflow run ${req.params.run_id}`);
  const name = req.query.get('name');
  const artifacts = run.artifacts.filter((a) => name === null || a.name === name);
  return json(200, { total_count: artifacts.length, artifacts: artifacts.map((a) => artifactJson(ctx.site, a, run)) });
};

const downloadArtifact: RouteHandler = async (ctx, req) => {
  const run = ctx.state.workflowRuns.find((r) => r.artifacts.some((a) => a.id === Number(req.params.artifact_id)));
  const artifact = run?.artifacts.find((a) => a.id === Number(req.params.artifact_id));
  if (!artifact || req.params.archive_format !== 'zip') throw notFound(`artifact ${req.params.artifact_id}`);
  return {
    status: 302,
    raw: Buffer.alloc(0),
    headers: { location: artifactDownloadUrl(ctx.site, artifact), 'content-type': 'text/plain' },
  };
};

export const actionRoutes: Record<string, RouteHandler> = {
  'actions/create-workflow-dispatch': dispatch,
  'actions/list-workflow-run-artifacts': listRunArtifacts,
  'actions/download-artifact': downloadArtifact,
};
