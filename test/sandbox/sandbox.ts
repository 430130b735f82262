// A local GitHub for the scenario suite and `npm run demo`: REST under /api/v3 (validated against
// GitHub's OpenAPI description), git over HTTP through `git http-backend`, signed webhooks, and
// helpers that act like developers (push, open, review, comment, merge). See README.md.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ARTIFACT_PATH, serveArtifact, type WorkflowRunRecord } from './actions.js';
import { API_PREFIX, handleApi, type RequestLogEntry, type Violation } from './api.js';
import { AppAuthority } from './auth.js';
import type { ReviewEvent } from './context.js';
import { BareRepo, isoSeconds } from './git.js';
import { GIT_PATH, handleGit } from './git-http.js';
import { errorBody, send } from './http.js';
import { OpenApiDescription, type OpenApiDescriptionName } from './openapi-validator.js';
import { createBareRepo, type RepoInit } from './repo-init.js';
import { SandboxCore } from './sandbox-core.js';
import { PERMISSIONS, type Permission, type PullRecord, type SandboxState } from './state.js';
import type { Delivery } from './webhooks.js';
import { Workspace, type FileMap } from './workspace.js';

export type { Delivery } from './webhooks.js';
export type { Violation, RequestLogEntry } from './api.js';
export type { FileMap } from './workspace.js';
export type { Permission } from './state.js';
export type { WorkflowRunRecord } from './actions.js';

export interface SandboxOptions extends RepoInit {
  /** Where webhooks go (e.g. http://127.0.0.1:3000/api/github/webhooks); settable later with setWebhookUrl. */
  webhookUrl?: string;
  webhookSecret: string;
  appId: number;
  owner: string;
  repo: string;
  /** @default 0 (any free port) */
  port?: number;
  /** @default 1 */
  installationId?: number;
  /** The App's slug; its bot user is `<slug>[bot]`. @default 'gitops-sandbox' */
  appSlug?: string;
  /** Collaborator roles by login; everyone else has 'none'. */
  permissions?: Record<string, Permission>;
  /** The description every request is checked against. @default 'ghes-3.19' (the sandbox is reached as GHE) */
  description?: OpenApiDescriptionName;
  /** How long the app may take to answer a webhook. @default 10000 (GitHub's limit) */
  webhookTimeoutMs?: number;
  /** The user helpers act as when none is given. @default 'developer' */
  defaultUser?: string;
}

export type ReviewStateInput = 'approved' | 'changes_requested' | 'commented' | 'APPROVED' | 'CHANGES_REQUESTED' | 'COMMENTED';

const REVIEW_EVENTS: Record<string, ReviewEvent> = { approved: 'APPROVE', changes_requested: 'REQUEST_CHANGES', commented: 'COMMENT' };

export async function startSandbox(options: SandboxOptions): Promise<Sandbox> {
  const root = await mkdtemp(join(tmpdir(), 'gitops-sandbox-'));
  const sandbox = new Sandbox(options, root);
  await sandbox.start(options.port ?? 0, options);
  return sandbox;
}

export class Sandbox {
  url = '';
  apiUrl = '';
  gheHost = '';
  cloneUrl = '';
  readonly bareRepoDir: string;
  readonly owner: string;
  readonly repo: string;
  readonly appId: number;
  readonly installationId: number;
  readonly webhookSecret: string;
  private readonly authority: AppAuthority;
  private readonly server: Server;
  private core!: SandboxCore;
  private workspace!: Workspace;
  private readonly userTokens = new Map<string, string>();
  private readonly defaultUser: string;

  constructor(
    private readonly options: SandboxOptions,
    private readonly root: string,
  ) {
    this.owner = options.owner;
    this.repo = options.repo;
    this.appId = options.appId;
    this.installationId = options.installationId ?? 1;
    this.webhookSecret = options.webhookSecret;
    this.defaultUser = options.defaultUser ?? 'developer';
    this.bareRepoDir = join(root, 'git', options.owner, `${options.repo}.git`);
    this.authority = new AppAuthority(options.appId);
    this.server = createServer((req, res) => void this.handle(req, res));
  }

  /** @internal used by startSandbox */
  async start(port: number, init: RepoInit): Promise<void> {
    const openapi = OpenApiDescription.load(this.options.description);
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve));
    const { port: bound } = this.server.address() as AddressInfo;
    this.gheHost = `127.0.0.1:${bound}`;
    this.url = `http://${this.gheHost}`;
    this.apiUrl = `${this.url}${API_PREFIX}`;
    this.cloneUrl = `${this.url}/${this.owner}/${this.repo}.git`;
    const site = {
      url: this.url,
      apiUrl: this.apiUrl,
      owner: this.owner,
      repo: this.repo,
      repoId: 4200 + this.installationId,
      ownerId: 4100,
      appId: this.appId,
      appSlug: this.options.appSlug ?? 'gitops-sandbox',
      installationId: this.installationId,
      createdAt: isoSeconds(),
    };
    this.core = new SandboxCore(site, new BareRepo(this.bareRepoDir), this.authority, openapi, {
      url: this.options.webhookUrl,
      secret: this.webhookSecret,
      timeoutMs: this.options.webhookTimeoutMs,
    });
    for (const [login, permission] of Object.entries(this.options.permissions ?? {})) this.setPermission(login, permission);
    await this.createRepo(init);
  }

  /** PEM (PKCS#1) of the App's private key: give it to the app as PRIVATE_KEY. */
  get privateKey(): string {
    return this.authority.privateKey;
  }

  get botLogin(): string {
    return this.core.botLogin;
  }

  get state(): SandboxState {
    return this.core.state;
  }

  /** Every webhook sent, in order, with the status the app answered. */
  get deliveries(): Delivery[] {
    return this.core.webhooks.deliveries;
  }

  /** Requests/responses/webhooks that do not match GitHub's description, and valid requests the sandbox does not serve. */
  get violations(): Violation[] {
    return this.core.violations;
  }

  /** Every REST request received, in order. */
  get requests(): RequestLogEntry[] {
    return this.core.requests;
  }

  setWebhookUrl(url: string | undefined): void {
    this.core.webhooks.url = url;
  }

  /** (Re)creates the repository from `init` and forgets pull requests, comments, checks and deployments. */
  async createRepo(init: RepoInit = {}): Promise<void> {
    await this.core.idle();
    await createBareRepo(this.bareRepoDir, init);
    this.core.state.reset();
    this.workspace = new Workspace(join(this.root, `work-${Date.now()}`), this.cloneUrl, (login) => this.issueToken({ user: login }));
  }

  /** An installation token (acts as the App's bot), or with `user` a token acting as that person. */
  issueToken(opts: { user?: string } = {}): string {
    if (!opts.user) return this.authority.issue('installation', this.botLogin, this.installationId).token;
    let token = this.userTokens.get(opts.user);
    if (!token || !this.authority.authorize(`token ${token}`).ok) {
      token = this.authority.issue('user', opts.user, this.installationId).token;
      this.userTokens.set(opts.user, token);
    }
    return token;
  }

  setPermission(user: string, permission: Permission): void {
    if (!PERMISSIONS.includes(permission)) {
      throw new Error(`sandbox.setPermission: permission for ${user} is ${JSON.stringify(permission)}; allowed: ${PERMISSIONS.join(', ')}`);
    }
    this.core.state.user(user);
    this.core.state.permissions.set(user, permission);
  }

  /** Commits `files` (null deletes) on `branch` through git HTTP as `user`; a missing branch starts from `from`. */
  async commit(
    branch: string,
    files: FileMap,
    message = `Update ${Object.keys(files).join(', ')}`,
    opts: { user?: string; from?: string } = {},
  ): Promise<{ sha: string }> {
    const sha = await this.workspace.commit({ branch, from: opts.from ?? 'main', files, message, user: opts.user ?? this.defaultUser });
    await this.core.idle();
    return { sha };
  }

  /** `commit` by another name: the push sends `push` and `pull_request.synchronize` for open pull requests. */
  pushTo(branch: string, files: FileMap, message?: string, opts: { user?: string; from?: string } = {}): Promise<{ sha: string }> {
    return this.commit(branch, files, message, opts);
  }

  /** The contract's name for `commit` (controller-contracts.md). */
  pushCommit(input: { branch: string; files: FileMap; message?: string; user?: string; from?: string }): Promise<{ sha: string }> {
    return this.commit(input.branch, input.files, input.message, input);
  }

  async createBranch(name: string, from = 'main', user = this.defaultUser): Promise<{ sha: string }> {
    const sha = await this.workspace.createBranch(name, from, user);
    await this.core.idle();
    return { sha };
  }

  async openPullRequest(input: {
    head: string;
    base: string;
    title?: string;
    body?: string;
    user?: string;
    draft?: boolean;
  }): Promise<{ number: number; headSha: string; baseSha: string }> {
    const pr = await this.core.createPull({
      head: input.head,
      base: input.base,
      title: input.title ?? `${input.head} → ${input.base}`,
      body: input.body ?? null,
      user: input.user ?? this.defaultUser,
      draft: input.draft ?? false,
    });
    await this.core.idle();
    return { number: pr.number, headSha: pr.headSha, baseSha: pr.baseSha };
  }

  async submitReview(input: {
    pr: number;
    user: string;
    state: ReviewStateInput;
    body?: string;
    commitId?: string;
  }): Promise<{ id: number }> {
    const event = REVIEW_EVENTS[input.state.toLowerCase()];
    if (!event)
      throw new Error(`sandbox.submitReview: state ${JSON.stringify(input.state)}; allowed: approved, changes_requested, commented`);
    const review = await this.core.submitReview({
      pr: this.pull(input.pr),
      user: input.user,
      event,
      body: input.body ?? (event === 'APPROVE' ? '' : `${input.state} by ${input.user}`),
      commitId: input.commitId,
    });
    await this.core.idle();
    return { id: review.id };
  }

  async addComment(input: { pr: number; user: string; body: string }): Promise<{ id: number }> {
    const comment = await this.core.addComment(this.pull(input.pr), input.user, input.body);
    await this.core.idle();
    return { id: comment.id };
  }

  /**
   * Merges a pull request with real git (merge commit, or squash) and pushes the base branch:
   * sends pull_request.closed (merged) and then push. A conflict throws and changes nothing.
   */
  async merge(number: number, opts: { user?: string; method?: 'merge' | 'squash' } = {}): Promise<{ sha: string }> {
    const pr = this.pull(number);
    if (pr.state !== 'open') throw new Error(`sandbox.merge: pull request #${number} is ${pr.merged ? 'already merged' : 'closed'}`);
    const user = opts.user ?? this.defaultUser;
    const method = opts.method ?? 'merge';
    const message =
      method === 'squash'
        ? `${pr.title} (#${pr.number})`
        : `Merge pull request #${pr.number} from ${this.owner}/${pr.headRef}\n\n${pr.title}`;
    const before = { ...pr };
    try {
      const sha = await this.workspace.merge({ base: pr.baseRef, head: pr.headRef, user, method, message }, async (mergeSha) => {
        const now = isoSeconds();
        Object.assign(pr, {
          state: 'closed',
          merged: true,
          mergedAt: now,
          closedAt: now,
          updatedAt: now,
          mergedBy: user,
          mergeCommitSha: mergeSha,
        });
        await this.core.sendPullEvent(pr, 'closed', user);
      });
      await this.core.idle();
      return { sha };
    } catch (error) {
      if (pr.merged && (await this.branchSha(pr.baseRef)) !== pr.mergeCommitSha) Object.assign(pr, before);
      throw error;
    }
  }

  /** Resends a delivery (same body, same X-GitHub-Delivery), as GitHub's "Redeliver" button. */
  redeliver(deliveryId: string): Promise<Delivery> {
    return this.core.webhooks.redeliver(deliveryId);
  }

  /** Sends a correctly signed webhook with a payload of the test's making. */
  sendWebhook(event: string, payload: Record<string, unknown>): Promise<Delivery> {
    return this.core.webhooks.send(event, payload);
  }

  /** Sends a webhook whose X-Hub-Signature-256 was not made with the webhook secret. */
  sendForged(event: string, payload: Record<string, unknown>, signature?: string): Promise<Delivery> {
    return this.core.webhooks.sendForged(event, payload, signature);
  }

  /** The runs dispatched through workflow_dispatch, oldest first (none ever executes). */
  get workflowRuns(): readonly WorkflowRunRecord[] {
    return this.core.state.workflowRuns;
  }

  /**
   * Completes a dispatched run as GitHub would once its jobs ended: `conclusion` (success, failure, cancelled, …),
   * `artifacts` by name with their files, then the signed workflow_run.completed webhook.
   */
  async completeWorkflowRun(id: number, input: { conclusion: string; artifacts?: Record<string, Record<string, string>> }): Promise<void> {
    const run = this.core.state.workflowRuns.find((r) => r.id === id);
    if (!run) throw new Error(`sandbox: no workflow run ${id} (dispatched: ${this.workflowRuns.map((r) => r.id).join(', ') || 'none'})`);
    await this.core.completeWorkflowRun(run, input.conclusion, input.artifacts);
    await this.core.idle();
  }

  /** Resolves when pushes have been analysed and every queued webhook has been answered. */
  idle(): Promise<void> {
    return this.core.idle();
  }

  branchSha(branch: string): Promise<string | undefined> {
    return this.core.repo.branchSha(branch);
  }

  /** A file's text at `ref` in the bare repository; undefined when absent. */
  async readFile(ref: string, path: string): Promise<string | undefined> {
    const sha = await this.core.repo.resolveCommit(ref);
    if (!sha || (await this.core.repo.objectType(sha, path)) !== 'blob') return undefined;
    return (await this.core.repo.blob(sha, path)).content.toString('utf8');
  }

  async close(): Promise<void> {
    await this.core.idle().catch(() => undefined);
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    await rm(this.root, { recursive: true, force: true });
  }

  private pull(number: number): PullRecord {
    const pr = this.core.state.pull(number);
    if (!pr)
      throw new Error(`sandbox: no pull request #${number} (open: ${this.core.state.pulls.map((p) => p.number).join(', ') || 'none'})`);
    return pr;
  }

  private async handle(req: import('node:http').IncomingMessage, res: import('node:http').ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', this.url);
    try {
      if (url.pathname === API_PREFIX || url.pathname.startsWith(`${API_PREFIX}/`)) return await handleApi(this.core, req, res, url);
      const artifact = ARTIFACT_PATH.exec(url.pathname);
      if (artifact && req.method === 'GET') return serveArtifact(res, this.core.state, Number(artifact[1]), artifact[2]!);
      if (GIT_PATH.test(url.pathname)) {
        return await handleGit(
          {
            projectRoot: join(this.root, 'git'),
            authority: this.authority,
            exists: (owner, repo) => owner === this.owner && repo === this.repo,
            aroundPush: (grant, push) => this.core.aroundPush(grant.login, push),
          },
          req,
          res,
          url,
        );
      }
      send(
        res,
        404,
        errorBody(404, 'Not Found', { sandbox_detail: `${url.pathname}: the sandbox serves ${API_PREFIX}/… and /{owner}/{repo}.git/…` }),
      );
    } catch (error) {
      if (!res.headersSent) send(res, 500, errorBody(500, `Sandbox crashed: ${error instanceof Error ? error.message : String(error)}`));
      else res.end();
    }
  }
}
