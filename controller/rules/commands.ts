// Comment commands (`/plan`, `/unlock [env]`, `/help`). Parsing only: who may run a command
// (write permission) is the handler's business. Quoted lines and code blocks never trigger a
// command, so replying to or documenting a command does not run it.

export type CommandKind = 'plan' | 'unlock' | 'help' | 'unknown';

export interface ParsedCommand {
  readonly kind: CommandKind;
  /** The command word as typed, lower-cased, without the slash (e.g. `unlock`, or `foo` for unknown). */
  readonly name: string;
  readonly args: string[];
  /** Set when the command is known but its arguments are not acceptable (reply with it, run nothing). */
  readonly error?: string;
}

const ENVIRONMENT_NAME = /^[a-z][a-z0-9-]{0,15}$/;
const COMMAND_LINE = /^\/([A-Za-z][A-Za-z0-9_-]*)(?:[ \t]+(.*))?$/;

export const COMMANDS: readonly { readonly usage: string; readonly description: string }[] = [
  { usage: '/plan', description: 'plan this pull request again against its target environment' },
  {
    usage: '/unlock [env]',
    description: "release the environment's deployment lock held for this pull request (default: the target environment)",
  },
  { usage: '/help', description: 'show this list' },
];

/** The first command line of a comment, or undefined for an ordinary comment. */
export function parseCommand(body: string | null | undefined): ParsedCommand | undefined {
  if (typeof body !== 'string') return undefined;
  let fence: string | undefined;
  for (const raw of body.split(/\r?\n/)) {
    const line = raw.trim();
    const fenceMatch = /^(`{3,}|~{3,})/.exec(line);
    if (fenceMatch) {
      if (fence === undefined) fence = fenceMatch[1][0];
      else if (fenceMatch[1][0] === fence) fence = undefined;
      continue;
    }
    if (fence !== undefined || line.startsWith('>')) continue;
    const m = COMMAND_LINE.exec(line);
    if (!m) continue;
    return toCommand(m[1].toLowerCase(), (m[2] ?? '').split(/\s+/).filter(Boolean));
  }
  return undefined;
}

function toCommand(name: string, args: string[]): ParsedCommand {
  switch (name) {
    case 'plan':
    case 'help':
      return args.length === 0
        ? { kind: name, name, args }
        : { kind: name, name, args, error: `/${name} takes no arguments (got ${JSON.stringify(args.join(' ').slice(0, 60))})` };
    case 'unlock': {
      if (args.length > 1)
        return { kind: 'unlock', name, args, error: `/unlock takes at most one environment name (got ${args.length} words)` };
      const env = args[0];
      if (env !== undefined && !ENVIRONMENT_NAME.test(env)) {
        return {
          kind: 'unlock',
          name,
          args,
          error: `/unlock: ${JSON.stringify(env.slice(0, 60))} is not an environment name (lowercase letters, digits and -, at most 16)`,
        };
      }
      return { kind: 'unlock', name, args };
    }
    default:
      return { kind: 'unknown', name, args };
  }
}

/** The reply to `/help`, to an unknown command or to a command with bad arguments. */
export function commandHelpReply(problem?: string): string {
  const lines = [
    ...(problem ? [`⚠️ ${problem}`, ''] : []),
    'Commands (on a line of their own; only people with write access can run them):',
    '',
    '| command | what it does |',
    '|---|---|',
    ...COMMANDS.map((c) => `| \`${c.usage}\` | ${c.description} |`),
  ];
  return lines.join('\n');
}

/** The reply to a parsed command that will not run: unknown, or with bad arguments. */
export function commandProblem(command: ParsedCommand): string | undefined {
  if (command.kind === 'unknown')
    return `\`/${command.name.slice(0, 40)}\` is not a command (allowed: ${COMMANDS.map((c) => c.usage.split(' ')[0]).join(', ')})`;
  return command.error;
}
