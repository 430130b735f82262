// Comment commands on a pull request (`/plan`, `/unlock`, `/help`), parsed once by the webhook
// handler. Only people with write permission may run them; anyone else gets one reply saying so,
// and nothing else happens. `/plan` queues a fresh plan through the injected re-plan.
import { commandProblem, type ParsedCommand } from '../rules/commands.js';
import { replies } from '../comment/replies.js';
import { errorLine } from '../comment/limits.js';
import { fullName, type RepoSession } from './ports/session.js';
import { type Permission } from './ports/github.js';

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
  | { readonly action: 'refused'; readonly permission: Permission }
  | { readonly action: 'replied'; readonly command: string }
  | { readonly action: 'plan' }
  | { readonly action: 'unlocked'; readonly result: UnlockResult };

export interface UnlockResult {
  readonly environment: string;
  readonly released: boolean;
  /** Who holds the lock when this pull request does not. */
  readonly heldBy?: string;
}

export interface CommandDeps {
  /** Queues a fresh plan of the pull request (its current head and base). */
  plan(session: RepoSession, input: CommentInput): Promise<void>;
  /** Releases the lock of `environment` (default: the pull request's target) if this pull request holds it. */
  unlock(session: RepoSession, input: CommentInput, environment: string | undefined): Promise<UnlockResult>;
}

const WRITE: readonly Permission[] = ['write', 'maintain', 'admin'];

export async function runCommand(session: RepoSession, input: CommentInput, deps: CommandDeps): Promise<CommandOutcome> {
  if (input.senderType === 'Bot') return { action: 'ignored' };
  const command = input.command;
  if (command === undefined) return { action: 'ignored' };
  const { github } = session;
  const word = `/${command.name.slice(0, 40)}`;

  const permission = await github.getPermission(input.sender);
  if (!WRITE.includes(permission)) {
    await github.createComment(input.pr, replies.refused({ sender: input.sender, command: word, repository: fullName(input), permission }));
    return { action: 'refused', permission };
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
      await github.createComment(input.pr, replies.unlocked({ sender: input.sender, ...result }));
      return { action: 'unlocked', result };
    }
    default:
      return { action: 'ignored' };
  }
}
