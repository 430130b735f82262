// Replies the controller posts to comment commands. Text lives here, not in the handlers.
import { commandHelpReply } from '../rules/commands.js';

const mention = (user: string) => `@${user}`;

export const replies = {
  /** A user without write permission ran a command. */
  refused: (p: { sender: string; command: string; repository: string; permission: string }) =>
    `${mention(p.sender)} \`${p.command}\` needs write permission on ${p.repository}; you have ${p.permission}. Nothing was done.`,
  /** An unknown command or bad arguments: the problem and the command table. */
  problem: (p: { sender: string; problem: string }) => `${mention(p.sender)}\n\n${commandHelpReply(p.problem)}`,
  help: () => commandHelpReply(),
  unlockFailed: (p: { sender: string; reason: string }) => `${mention(p.sender)} \`/unlock\` failed: ${p.reason}`,
} as const;
