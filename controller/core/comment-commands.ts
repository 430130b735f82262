// Comment commands on a pull request (`/plan`, `/apply`, `/unlock`, `/help`), parsed once by the
// webhook handler. Only people with write permission may run them; anyone else gets a reply saying so
// (one per person, pull request and hour: thirty refused comments do not make thirty replies), and
// nothing else happens. `/plan` queues a fresh plan through the injected re-plan; `/apply` and
// `/unlock` further need an approver of the environment (core/apply-approver.ts), which the injected
// steps check.
import { commandProblem, type ParsedCommand } from '../rules/commands.js';
import { applyReplies } from '../comment/apply.js';
import { replies } from '../comment/replies.js';
import { errorLine } from '../comment/limits.js';
import { fullName, systemClock, type Clock, type RepoSession } from './ports/session.js';
import { WRITE_PERMISSIONS, type Permission } from './ports/github.js';
import type { LockRecord, ReplyLimits } from './ports/store.js';

export interface CommentInput {
  readonly owner: string;
  readonly repo: string;
  readonly pr: number;
  /** The base repository's clone URL, for the re-plan's PullRequestRef. */
  readonly cloneUrl: string;
  /** The command found in the comment (rules/commands.ts parseCommand); undefined for ordinary conversation. */
  readonly command: ParsedCommand | undefined;
  readonly sender: string;
  /** `Bot` for Apps (including this one): their comments are never commands. */
  readonly senderType: string;
}

/** What became of the comment: `plan` means a fresh plan of the pull request was queued. */
export type CommandOutcome =
  | { readonly action: 'ignored' }
  /** `replied` is false when this person was already refused on this pull request within the hour. */
  | { readonly action: 'refused'; readonly permission: Permission; readonly replied: boolean }
  | { readonly action: 'replied'; readonly command: string }
  | { readonly action: 'plan' }
  | { readonly action: 'apply'; readonly queued: boolean }
  | { readonly action: 'unlocked'; readonly result: UnlockResult };

export interface UnlockResult {
  readonly environment: string;
  /** The holder's ticket that was released; undefined when nothing held the lock. */
  readonly released?: LockRecord;
  /** Set when the sender may not unlock the environment (the reply says so, nothing is released). */
  readonly refused?: boolean;
}

export interface CommandDeps {
  /** Queues a fresh plan of the pull request (its current head and base). */
  plan(session: RepoSession, input: CommentInput): Promise<void>;
  /** Releases the lock of `environment` (default: the pull request's target) when the sender is an approver of it. */
  unlock(session: RepoSession, input: CommentInput, environment: string | undefined): Promise<UnlockResult>;
  /** Queues the apply of the merged pull request when the sender is an approver; the reply says what happened. */
  apply?(session: RepoSession, input: CommentInput): Promise<{ queued: boolean; reply: string }>;
  /** Where refusal replies are counted (the store, shared by replicas). @default every refusal is answered */
  readonly replyLimits?: ReplyLimits;
  /** @default systemClock */
  readonly clock?: Clock;
}

/** One refusal reply per person and pull request within this window. */
export const REFUSAL_REPLY_WINDOW_MS = 3600_000;

export async function runCommand(session: RepoSession, input: CommentInput, deps: CommandDeps): Promise<CommandOutcome> {
  if (input.senderType === 'Bot') return { action: 'ignored' };
  const command = input.command;
  if (command === undefined) return { action: 'ignored' };
  const { github } = session;
  const word = `/${command.name.slice(0, 40)}`;

  const permission = await github.getPermission(input.sender);
  if (!WRITE_PERMISSIONS.includes(permission)) {
    const at = (deps.clock ?? systemClock).now();
    const key = { repo: fullName(input), pr: input.pr, user: input.sender, kind: 'refused' };
    if (deps.replyLimits && !(await deps.replyLimits.takeReply(key, at, REFUSAL_REPLY_WINDOW_MS))) {
      session.log.info(
        { pr: input.pr, sender: input.sender, command: word, permission },
        'command refused again within the hour; no reply',
      );
      return { action: 'refused', permission, replied: false };
    }
    await github.createComment(input.pr, replies.refused({ sender: input.sender, command: word, repository: fullName(input), permission }));
    return { action: 'refused', permission, replied: true };
  }

  const problem = commandProblem(command);
  if (problem !== undefined) {
    await github.createComment(input.pr, replies.problem({ sender: input.sender, problem }));
    return { action: 'replied', command: command.kind };
  }
  switch (command.kind) {
    case 'plan':
      await deps.plan(session, input);
      return { action: 'plan' };
    case 'help':
      await github.createComment(input.pr, replies.help());
      return { action: 'replied', command: 'help' };
    case 'unlock': {
      let result: UnlockResult;
      try {
        result = await deps.unlock(session, input, command.args[0]);
      } catch (e) {
        await github.createComment(input.pr, replies.unlockFailed({ sender: input.sender, reason: errorLine(e) }));
        return { action: 'replied', command: 'unlock' };
      }
      const reply = result.refused
        ? applyReplies.notApprover({ sender: input.sender, command: '/unlock', environment: result.environment })
        : applyReplies.unlocked({ sender: input.sender, environment: result.environment, released: result.released });
      await github.createComment(input.pr, reply);
      return { action: 'unlocked', result };
    }
    case 'apply': {
      if (!deps.apply) {
        await github.createComment(input.pr, applyReplies.refused({ sender: input.sender, reason: 'this controller does not apply' }));
        return { action: 'apply', queued: false };
      }
      let outcome: { queued: boolean; reply: string };
      try {
        outcome = await deps.apply(session, input);
      } catch (e) {
        outcome = { queued: false, reply: applyReplies.refused({ sender: input.sender, reason: errorLine(e) }) };
      }
      await github.createComment(input.pr, outcome.reply);
      return { action: 'apply', queued: outcome.queued };
    }
    default:
      return { action: 'ignored' };
  }
}
