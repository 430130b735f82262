// `gitops`: the command-line face of the release controller.
import type { Io } from './cli/command.js';
import { commands as allCommands } from './cli/index.js';
import { consoleIo, runCli } from './cli/run.js';

export { runCli };

/** Runs the CLI; returns the exit code (0 ok, 1 failed, 2 usage error). */
export function main(argv: readonly string[], io: Io = consoleIo): Promise<number> {
  return runCli(allCommands, argv, io);
}
