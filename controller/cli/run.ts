// Dispatches a `gitops` invocation to one of a list of commands; prints usage errors as one line.
import { parseArgs } from 'node:util';
import { ConfigError, UnknownEnvironmentError, formatProblem } from '../../environments/config.js';
import { UsageError, type Command, type Io } from './command.js';

export const consoleIo: Io = { out: (l) => process.stdout.write(l + '\n'), err: (l) => process.stderr.write(l + '\n') };

function topHelp(commands: readonly Command[]): string {
  const width = Math.max(...commands.map((c) => c.name.length));
  return [
    'Usage: gitops <command> [options]',
    '',
    'Commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    'Run `gitops <command> --help` for the options of a command.',
  ].join('\n');
}

function commandHelp(c: Command): string {
  return `Usage: gitops ${c.name} [options]\n${c.summary}\n\n${c.usage}`;
}

/** Runs one of `commands` (bin/gitops.mjs runs the IaC commands from a bundle with a shorter list). */
export async function runCli(commands: readonly Command[], argv: readonly string[], io: Io = consoleIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.err : io.out)(topHelp(commands));
    return name === undefined ? 2 : 0;
  }
  const command = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`gitops: unknown command "${name}" (allowed: ${commands.map((c) => c.name).join(', ')})`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(commandHelp(command));
    return 0;
  }
  try {
    const parsed = parseArgs({ args: [...rest], options: command.options, allowPositionals: false, strict: true });
    return await command.run(
      { values: parsed.values as Record<string, string | boolean | undefined>, positionals: parsed.positionals },
      io,
    );
  } catch (e) {
    if (e instanceof UsageError || e instanceof UnknownEnvironmentError || (e as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      io.err(`gitops ${name}: ${(e as Error).message.split('\n')[0]} (see gitops ${name} --help)`);
      return 2;
    }
    if (e instanceof ConfigError) {
      e.problems.forEach((p) => io.err(formatProblem(p)));
      return 1;
    }
    io.err(`gitops ${name}: ${(e as Error).message}`);
    return 1;
  }
}
