// GitHub deployments over Octokit: the `RepoDeployments` port, bound to one repository.
import type { Deployment, DeploymentState, NewDeployment, RepoDeployments } from '../core/ports/github.js';
import type { OctokitLike } from './client.js';

export class OctokitDeployments implements RepoDeployments {
  private readonly r: { owner: string; repo: string };

  constructor(
    private readonly octokit: OctokitLike,
    owner: string,
    repo: string,
  ) {
    this.r = { owner, repo };
  }

  async createDeployment(d: NewDeployment): Promise<number> {
    // auto_merge off: GitHub would otherwise merge the default branch into the ref. No required
    // contexts: the controller has already gated the change, and its own checks are on the pull request.
    const { data } = await this.octokit.rest.repos.createDeployment({
      ...this.r,
      ref: d.sha,
      environment: d.environment,
      description: d.description.slice(0, 140),
      auto_merge: false,
      required_contexts: [],
      production_environment: d.production,
      transient_environment: false,
    });
    if (!('id' in data)) throw new Error(`GitHub created no deployment of ${d.sha} to ${d.environment}: ${data.message ?? 'accepted'}`);
    return data.id;
  }

  async setDeploymentStatus(
    id: number,
    status: { readonly state: DeploymentState; readonly description: string; readonly logUrl?: string },
  ): Promise<void> {
    await this.octokit.rest.repos.createDeploymentStatus({
      ...this.r,
      deployment_id: id,
      state: status.state,
      description: status.description.slice(0, 140),
      ...(status.logUrl ? { log_url: status.logUrl } : {}),
      auto_inactive: status.state === 'success',
    });
  }

  async listDeployments(environment: string, sha?: string, limit?: number): Promise<Deployment[]> {
    const params = { ...this.r, environment, ...(sha ? { sha } : {}), per_page: Math.min(100, limit ?? 100) };
    // With a limit, paging stops once it is reached: each deployment costs one more request for its state.
    let listed = 0;
    const deployments = await this.octokit.paginate(this.octokit.rest.repos.listDeployments, params, (response, done) => {
      listed += response.data.length;
      if (limit !== undefined && listed >= limit) done();
      return response.data;
    });
    const out: Deployment[] = [];
    for (const d of deployments.slice(0, limit)) {
      const { data: statuses } = await this.octokit.rest.repos.listDeploymentStatuses({ ...this.r, deployment_id: d.id, per_page: 1 });
      out.push({
        id: d.id,
        sha: d.sha,
        environment: d.environment,
        ...(statuses[0] ? { state: statuses[0].state as DeploymentState } : {}),
      });
    }
    return out;
  }
}
