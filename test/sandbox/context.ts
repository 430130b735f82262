// What a REST route may use of the sandbox: its state, its repository and the few actions that
// must go through one place (ref updates fire webhooks; pull requests render with git facts).
import type { AppAuthority } from './auth.js';
import type { BareRepo } from './git.js';
import type { ApiRequest, ApiResponse } from './http.js';
import type { PullFacts } from './representations-pulls.js';
import type { Site } from './representations.js';
import type { CommentRecord, PullRecord, ReviewRecord, SandboxState } from './state.js';

export interface RefUpdate {
  ref: string;
  before: string;
  after: string;
}

export interface SandboxContext {
  readonly site: Site;
  readonly state: SandboxState;
  readonly repo: BareRepo;
  readonly authority: AppAuthority;
  readonly botLogin: string;
  repoJson(): Record<string, unknown>;
  pullFacts(pr: PullRecord): Promise<PullFacts>;
  /** `simple`: skip the git statistics (list endpoints return pull-request-simple). */
  pullJson(pr: PullRecord, simple?: boolean): Promise<Record<string, unknown>>;
  /**
   * Moves `ref` from `expected` to `sha` under the repository lock (ZERO_SHA = create) and then
   * does what GitHub does after a push: pull request heads move, webhooks go out.
   */
  updateRef(ref: string, sha: string, expected: string, actor: string): Promise<boolean>;
  /** Opens a pull request and sends pull_request.opened. */
  createPull(input: { head: string; base: string; title: string; body: string | null; user: string; draft: boolean }): Promise<PullRecord>;
  /** Sends a pull_request event for `pr` as it is now (`changes` for edited). */
  sendPullEvent(pr: PullRecord, action: string, sender: string, extra?: Record<string, unknown>): Promise<void>;
  /** Records a submitted review (GitHub's rules) and sends pull_request_review.submitted. */
  submitReview(input: { pr: PullRecord; user: string; event: ReviewEvent; body: string; commitId?: string }): Promise<ReviewRecord>;
  /** Records a comment and sends issue_comment.created (also for the App's own comments, as GitHub does). */
  addComment(pr: PullRecord, user: string, body: string): Promise<CommentRecord>;
  /** Sends issue_comment.edited. */
  sendCommentEdited(pr: PullRecord, comment: CommentRecord, previousBody: string, sender: string): Promise<void>;
}

export type ReviewEvent = 'APPROVE' | 'REQUEST_CHANGES' | 'COMMENT' | 'PENDING';

export type RouteHandler = (ctx: SandboxContext, req: ApiRequest) => Promise<ApiResponse>;
