// Comment commands on a pull request (`/plan`, `/unlock`, `/help`). Only people with write
// permission may run them; anyone else gets one reply saying so, and nothing else happens.
import { commandProblem, parseCommand } from '../commands/commands.js';
import { replies } from '../comment/replies.js';
import { errorLine } from './check-text.js';
import { fullName, type Permission, type RepoSession } from './ports.js';

export interface CommentInput {
  readonly owner: string;
  readonly repo: string;
  readonly pr: number;
  readonly body: string;
  readonly sender: string;
  /** `Bot` for Apps (including this one): their comments are never commands. */
  readonly senderType: string;
}

/** What the caller must do next: `plan` means queue a fresh plan of the pull request. */
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
  /** Releases the lock of `environment` (default: the pull request's target) if this pull request holds it. */
  unlock(session: RepoSession, input: CommentInput, environment: string | undefined): Promise<UnlockResult>;
}

const WRITE: readonly Permission[] = ['write', 'maintain', 'admin'];

export async function runCommand(session: RepoSession, input: CommentInput, deps: CommandDeps): Promise<CommandOutcome> {
  if (input.senderType === 'Bot') return { action: 'ignored' };
  const command = parseCommand(input.body);
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
