// GitHub's JSON shapes for check runs, deployments, deployment statuses and commit statuses.
import { appJson, nodeId, repoApi, repoHtml, userJson, type Site } from './representations.js';
import type { CheckRunRecord, CommitStatusRecord, DeploymentRecord, DeploymentStatusRecord, PullRecord, SandboxState } from './state.js';

export function checkRunJson(site: Site, run: CheckRunRecord, pulls: PullRecord[]): Record<string, unknown> {
  const api = `${repoApi(site)}/check-runs/${run.id}`;
  const repoRef = { id: site.repoId, url: repoApi(site), name: site.repo };
  return {
    id: run.id,
    head_sha: run.headSha,
    node_id: nodeId('CheckRun', run.id),
    external_id: run.externalId,
    url: api,
    html_url: `${repoHtml(site)}/runs/${run.id}`,
    details_url: run.detailsUrl ?? `${site.url}/apps/${site.appSlug}`,
    status: run.status,
    conclusion: run.conclusion,
    started_at: run.startedAt,
    completed_at: run.completedAt,
    output: {
      title: run.output.title,
      summary: run.output.summary,
      text: run.output.text,
      annotations_count: run.output.annotationsCount,
      annotations_url: `${api}/annotations`,
    },
    name: run.name,
    check_suite: { id: run.checkSuiteId },
    app: appJson(site),
    // GitHub lists the open pull requests whose head is the run's commit.
    pull_requests: pulls
      .filter((pr) => pr.state === 'open' && pr.headSha === run.headSha)
      .map((pr) => ({
        id: pr.id,
        number: pr.number,
        url: `${repoApi(site)}/pulls/${pr.number}`,
        head: { ref: pr.headRef, sha: pr.headSha, repo: repoRef },
        base: { ref: pr.baseRef, sha: pr.baseSha, repo: repoRef },
      })),
  };
}

export function deploymentJson(site: Site, state: SandboxState, deployment: DeploymentRecord): Record<string, unknown> {
  const api = `${repoApi(site)}/deployments/${deployment.id}`;
  return {
    url: api,
    id: deployment.id,
    node_id: nodeId('Deployment', deployment.id),
    sha: deployment.sha,
    ref: deployment.ref,
    task: deployment.task,
    payload: deployment.payload,
    original_environment: deployment.originalEnvironment,
    environment: deployment.environment,
    description: deployment.description,
    creator: userJson(site, state.user(deployment.creator)),
    created_at: deployment.createdAt,
    updated_at: deployment.updatedAt,
    statuses_url: `${api}/statuses`,
    repository_url: repoApi(site),
    transient_environment: deployment.transientEnvironment,
    production_environment: deployment.productionEnvironment,
    performed_via_github_app: null,
  };
}

export function deploymentStatusJson(
  site: Site,
  state: SandboxState,
  deployment: DeploymentRecord,
  status: DeploymentStatusRecord,
): Record<string, unknown> {
  const deploymentUrl = `${repoApi(site)}/deployments/${deployment.id}`;
  return {
    url: `${deploymentUrl}/statuses/${status.id}`,
    id: status.id,
    node_id: nodeId('DeploymentStatus', status.id),
    state: status.state,
    creator: userJson(site, state.user(status.creator)),
    description: status.description,
    environment: status.environment,
    target_url: status.targetUrl,
    log_url: status.logUrl,
    environment_url: status.environmentUrl,
    created_at: status.createdAt,
    updated_at: status.createdAt,
    deployment_url: deploymentUrl,
    repository_url: repoApi(site),
    performed_via_github_app: null,
  };
}

export function commitStatusJson(site: Site, state: SandboxState, status: CommitStatusRecord): Record<string, unknown> {
  const creator = state.user(status.creator);
  return {
    url: `${repoApi(site)}/statuses/${status.sha}`,
    avatar_url: `${site.url}/avatars/u/${creator.id}`,
    id: status.id,
    node_id: nodeId('StatusContext', status.id),
    state: status.state,
    description: status.description,
    target_url: status.targetUrl,
    context: status.context,
    created_at: status.createdAt,
    updated_at: status.updatedAt,
    creator: userJson(site, creator),
  };
}
