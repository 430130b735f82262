// GitHub Actions as far as the actions runner needs it: workflow_dispatch creates a queued run of a
// workflow read from the dispatched branch (inputs checked against the file as GitHub checks them,
// the run named by its `run-name`); a test completes a run with a conclusion and artifacts, which
// sends the signed workflow_run.completed webhook. No workflow ever executes here.
import { randomBytes } from 'node:crypto';
import { parse } from 'yaml';
import { zipArchive } from '../zip-archive.js';
import type { BareRepo } from './git.js';
import { isoSeconds } from './git.js';
import type { ServerResponse } from 'node:http';
import { ApiError, errorBody, notFound, send } from './http.js';
import { nodeId, repoApi, repoHtml, userJson, type Site } from './representations.js';
import type { SandboxState, UserRecord } from './state.js';

export interface ArtifactRecord {
  id: number;
  runId: number;
  name: string;
  zip: Buffer;
  /** The unguessable part of the download address the API redirects to. */
  token: string;
  createdAt: string;
}

export interface WorkflowRunRecord {
  id: number;
  runNumber: number;
  workflowId: number;
  workflowName: string;
  /** e.g. .github/workflows/plan-apply.yml */
  path: string;
  /** The branch it was dispatched on, and that branch's tip then. */
  headBranch: string;
  headSha: string;
  inputs: Record<string, string>;
  displayTitle: string;
  status: 'queued' | 'completed';
  conclusion: string | null;
  actor: string;
  createdAt: string;
  updatedAt: string;
  artifacts: ArtifactRecord[];
}

interface DispatchInput {
  required?: boolean;
  type?: string;
  options?: string[];
  default?: unknown;
}

const unprocessable = (message: string) => new ApiError(422, message);

/** Workflow ids: a stable number per workflow file. */
const workflowIdOf = (path: string): number => 5000 + [...path].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 100_000, 0);

/** Records a dispatch of `workflow` (a file name under .github/workflows/, or its id) on `ref`, as GitHub validates it. */
export async function dispatchWorkflow(
  state: SandboxState,
  repo: BareRepo,
  input: { workflow: string; ref: string; inputs: Record<string, unknown>; actor: string },
): Promise<WorkflowRunRecord> {
  const branch = input.ref.replace(/^refs\/heads\//, '');
  const sha = await repo.branchSha(branch);
  if (!sha) throw unprocessable(`No ref found for: ${input.ref}`);
  const path = `.github/workflows/${input.workflow}`;
  if (!/^[\w.-]+\.ya?ml$/.test(input.workflow) || (await repo.objectType(sha, path)) !== 'blob')
    throw notFound(`workflow ${input.workflow} on ${branch}`);
  const file = parse((await repo.blob(sha, path)).content.toString('utf8')) as {
    name?: string;
    'run-name'?: string;
    on?: Record<string, { inputs?: Record<string, DispatchInput> } | null>;
  };
  if (!file.on || !('workflow_dispatch' in file.on)) throw unprocessable("Workflow does not have 'workflow_dispatch' trigger");
  const declared = file.on.workflow_dispatch?.inputs ?? {};
  const unexpected = Object.keys(input.inputs).filter((k) => !(k in declared));
  if (unexpected.length) throw unprocessable(`Unexpected inputs provided: ${JSON.stringify(unexpected)}`);
  const inputs: Record<string, string> = {};
  for (const [name, spec] of Object.entries(declared)) {
    const given = input.inputs[name];
    if (given === undefined && spec.required && spec.default === undefined) throw unprocessable(`Required input '${name}' not provided`);
    const value = String(given ?? spec.default ?? '');
    if (spec.type === 'choice' && !(spec.options ?? []).includes(value))
      throw unprocessable(`Provided value '${value}' for input '${name}' not in the list of allowed values`);
    inputs[name] = value;
  }
  const title = (file['run-name'] ?? file.name ?? path).replace(/\$\{\{\s*inputs\.([\w-]+)\s*\}\}/g, (_, n: string) => inputs[n] ?? '');
  const now = isoSeconds();
  const run: WorkflowRunRecord = {
    id: state.newId(),
    runNumber: state.workflowRuns.filter((r) => r.path === path).length + 1,
    workflowId: workflowIdOf(path),
    workflowName: file.name ?? path,
    path,
    headBranch: branch,
    headSha: sha,
    inputs,
    displayTitle: title,
    status: 'queued',
    conclusion: null,
    actor: input.actor,
    createdAt: now,
    updatedAt: now,
    artifacts: [],
  };
  state.workflowRuns.push(run);
  return run;
}

export const ARTIFACT_PATH = /^\/_sandbox\/artifacts\/(\d+)\/([0-9a-f]{32})\.zip$/;

/** Where download-artifact redirects to (served by the sandbox without authentication, as GitHub's blob storage is). */
export const artifactDownloadUrl = (site: Site, a: ArtifactRecord): string => `${site.url}/_sandbox/artifacts/${a.id}/${a.token}.zip`;

/** Answers GET <artifactDownloadUrl>: the archive's bytes, or 404 for an unknown id or token. */
export function serveArtifact(res: ServerResponse, state: SandboxState, id: number, token: string): void {
  const artifact = state.workflowRuns.flatMap((r) => r.artifacts).find((a) => a.id === id && a.token === token);
  if (!artifact) return send(res, 404, errorBody(404, 'Not Found', { sandbox_detail: `artifact ${id}` }));
  res.writeHead(200, { 'content-type': 'application/zip', 'content-length': artifact.zip.length });
  res.end(artifact.zip);
}

/** Completes `run` with `conclusion`, its artifacts made from `files` (name → file name → content). */
export function completeRun(
  state: SandboxState,
  run: WorkflowRunRecord,
  conclusion: string,
  artifacts: Readonly<Record<string, Readonly<Record<string, string>>>> = {},
): void {
  if (run.status === 'completed') throw new Error(`sandbox: workflow run ${run.id} ("${run.displayTitle}") is completed already`);
  const now = isoSeconds();
  for (const [name, files] of Object.entries(artifacts)) {
    run.artifacts.push({
      id: state.newId(),
      runId: run.id,
      name,
      zip: zipArchive(files),
      token: randomBytes(16).toString('hex'),
      createdAt: now,
    });
  }
  Object.assign(run, { status: 'completed', conclusion, updatedAt: now });
}

export function artifactJson(site: Site, a: ArtifactRecord, run: WorkflowRunRecord): Record<string, unknown> {
  const url = `${repoApi(site)}/actions/artifacts/${a.id}`;
  const expires = new Date(Date.parse(a.createdAt) + 90 * 86_400_000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  return {
    id: a.id,
    node_id: nodeId('Artifact', a.id),
    name: a.name,
    size_in_bytes: a.zip.length,
    url,
    archive_download_url: `${url}/zip`,
    expired: false,
    created_at: a.createdAt,
    updated_at: a.createdAt,
    expires_at: expires,
    workflow_run: {
      id: run.id,
      repository_id: site.repoId,
      head_repository_id: site.repoId,
      head_branch: run.headBranch,
      head_sha: run.headSha,
    },
  };
}

/** The workflow_run.completed payload of `run`. */
export async function workflowRunPayload(
  site: Site,
  repo: BareRepo,
  run: WorkflowRunRecord,
  common: Record<string, unknown>,
  actor: UserRecord,
): Promise<Record<string, unknown>> {
  const api = repoApi(site);
  const runApi = `${api}/actions/runs/${run.id}`;
  const commit = await repo.commit(run.headSha);
  const workflowUrl = `${api}/actions/workflows/${run.workflowId}`;
  return {
    action: 'completed',
    workflow: {
      id: run.workflowId,
      node_id: nodeId('Workflow', run.workflowId),
      name: run.workflowName,
      path: run.path,
      state: 'active',
      created_at: site.createdAt,
      updated_at: site.createdAt,
      url: workflowUrl,
      html_url: `${repoHtml(site)}/blob/main/${run.path}`,
      badge_url: `${repoHtml(site)}/workflows/${encodeURIComponent(run.workflowName)}/badge.svg`,
    },
    workflow_run: {
      id: run.id,
      node_id: nodeId('WorkflowRun', run.id),
      name: run.workflowName,
      display_title: run.displayTitle,
      path: run.path,
      head_branch: run.headBranch,
      head_sha: run.headSha,
      run_number: run.runNumber,
      run_attempt: 1,
      event: 'workflow_dispatch',
      status: run.status,
      conclusion: run.conclusion,
      workflow_id: run.workflowId,
      check_suite_id: run.id + 1,
      check_suite_node_id: nodeId('CheckSuite', run.id + 1),
      url: runApi,
      html_url: `${repoHtml(site)}/actions/runs/${run.id}`,
      pull_requests: [],
      referenced_workflows: [],
      created_at: run.createdAt,
      updated_at: run.updatedAt,
      run_started_at: run.createdAt,
      actor: userJson(site, actor),
      triggering_actor: userJson(site, actor),
      jobs_url: `${runApi}/jobs`,
      logs_url: `${runApi}/logs`,
      check_suite_url: `${api}/check-suites/${run.id + 1}`,
      artifacts_url: `${runApi}/artifacts`,
      cancel_url: `${runApi}/cancel`,
      rerun_url: `${runApi}/rerun`,
      previous_attempt_url: null,
      workflow_url: workflowUrl,
      head_commit: {
        id: commit.sha,
        tree_id: commit.tree,
        message: commit.message,
        timestamp: commit.committer.date,
        author: { name: commit.author.name, email: commit.author.email },
        committer: { name: commit.committer.name, email: commit.committer.email },
      },
      repository: common.repository,
      head_repository: common.repository,
    },
    ...common,
  };
}
