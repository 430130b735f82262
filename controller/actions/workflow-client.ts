// plan-apply.yml through GitHub's REST API, for one repository: dispatch a run on a branch, and read
// a file of a run's artifact (the artifact's zip is downloaded through the redirect GitHub answers).
import { Octokit } from '@octokit/rest';
import { PLAN_APPLY_WORKFLOW, type RunInputs } from './workflow-runs.js';
import { readZipEntry } from './zip.js';

/** The largest artifact archive downloaded. */
export const MAX_ARTIFACT_BYTES = 64 * 1024 * 1024;

export type ActionsOctokit = Pick<Octokit, 'rest'>;

export interface WorkflowClient {
  /** Dispatches plan-apply.yml on `ref` (a branch: the workflow file is read from it) with these inputs. */
  dispatch(ref: string, inputs: RunInputs): Promise<void>;
  /** The bytes of `file` in the run's artifact `artifact`; undefined when the run has no such artifact (or it expired) or the artifact no such file. */
  artifactFile(runId: number, artifact: string, file: string, maxBytes: number): Promise<Buffer | undefined>;
}

export class OctokitWorkflows implements WorkflowClient {
  private readonly r: { owner: string; repo: string };

  constructor(
    private readonly octokit: ActionsOctokit,
    owner: string,
    repo: string,
  ) {
    this.r = { owner, repo };
  }

  async dispatch(ref: string, inputs: RunInputs): Promise<void> {
    await this.octokit.rest.actions.createWorkflowDispatch({
      ...this.r,
      workflow_id: PLAN_APPLY_WORKFLOW,
      ref,
      inputs: { env: inputs.env, stack: inputs.stack, sha: inputs.sha, mode: inputs.mode },
    });
  }

  async artifactFile(runId: number, artifact: string, file: string, maxBytes: number): Promise<Buffer | undefined> {
    const { data } = await this.octokit.rest.actions.listWorkflowRunArtifacts({ ...this.r, run_id: runId, name: artifact, per_page: 100 });
    const found = data.artifacts.find((a) => a.name === artifact && !a.expired);
    if (!found) return undefined;
    if (found.size_in_bytes > MAX_ARTIFACT_BYTES) {
      throw new Error(`artifact ${artifact} is ${found.size_in_bytes} bytes (allowed: at most ${MAX_ARTIFACT_BYTES})`);
    }
    const zip = await this.octokit.rest.actions.downloadArtifact({ ...this.r, artifact_id: found.id, archive_format: 'zip' });
    return readZipEntry(Buffer.from(zip.data as ArrayBuffer), file, maxBytes);
  }
}

/** Clients of any repository under the REST root `baseUrl`, each acting with the installation token it is given. */
export function octokitWorkflows(baseUrl: string): (owner: string, repo: string, token: string) => WorkflowClient {
  // Octokit's own log is silenced: every failure reaches the stack's reason, on the pull request and the check
  const log = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
  return (owner, repo, token) => new OctokitWorkflows(new Octokit({ auth: token, baseUrl, log }), owner, repo);
}
