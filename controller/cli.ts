// `gitops`: the command-line face of the release controller.
import { parseArgs } from 'node:util';
import { ConfigError, UnknownEnvironmentError, formatProblem } from '../environments/config.js';
import { UsageError, type Command, type Io } from './cli/command.js';
import { commands } from './cli/index.js';

const consoleIo: Io = { out: (l) => process.stdout.write(l + '\n'), err: (l) => process.stderr.write(l + '\n') };

function topHelp(): string {
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

/** Runs the CLI; returns the exit code (0 ok, 1 failed, 2 usage error). */
export async function main(argv: readonly string[], io: Io = consoleIo): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    (name === undefined ? io.err : io.out)(topHelp());
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
