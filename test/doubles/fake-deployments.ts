// An in-memory RepoDeployments for the core's tests: every deployment with its statuses, newest last.
import type { Deployment, DeploymentState, NewDeployment, RepoDeployments } from '../../controller/core/ports/github.js';

export interface FakeDeployment extends NewDeployment {
  readonly id: number;
  readonly statuses: { readonly state: DeploymentState; readonly description: string; readonly logUrl?: string }[];
}

export class FakeDeployments implements RepoDeployments {
  readonly deployments: FakeDeployment[] = [];

  async createDeployment(deployment: NewDeployment): Promise<number> {
    const id = this.deployments.length + 1;
    this.deployments.push({ ...deployment, id, statuses: [] });
    return id;
  }

  async setDeploymentStatus(
    id: number,
    status: { readonly state: DeploymentState; readonly description: string; readonly logUrl?: string },
  ): Promise<void> {
    const found = this.deployments.find((d) => d.id === id);
    if (!found) throw new Error(`no deployment ${id}`);
    found.statuses.push(status);
  }

  async listDeployments(environment: string, sha?: string, limit?: number): Promise<Deployment[]> {
    return this.deployments
      .filter((d) => d.environment === environment && (sha === undefined || d.sha === sha))
      .reverse()
      .slice(0, limit)
      .map((d) => ({ id: d.id, sha: d.sha, environment: d.environment, state: d.statuses.at(-1)?.state }));
  }
}
