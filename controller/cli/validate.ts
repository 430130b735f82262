import { ConfigError, formatProblem } from '../../environments/config.js';
import { DEFAULT_ENV_DIR, validateEnvironmentDirectory } from '../../environments/load.js';
import { stringFlag, type Command } from './command.js';

export const validateCommand: Command = {
  name: 'validate',
  summary: 'check every environment file and print all problems',
  usage: `Options:
  --dir DIR   directory of environment files (default: ${DEFAULT_ENV_DIR})`,
  options: { dir: { type: 'string' } },
  async run(args, io) {
    const dir = stringFlag(args, 'dir') ?? DEFAULT_ENV_DIR;
    let validated;
    try {
      validated = validateEnvironmentDirectory(dir);
    } catch (e) {
      if (e instanceof ConfigError) {
        e.problems.forEach((p) => io.err(formatProblem(p)));
        return 1;
      }
      throw e;
    }
    const { environments, problems } = validated;
    if (problems.length > 0) {
      problems.forEach((p) => io.err(formatProblem(p)));
      io.err(`${problems.length} problem${problems.length === 1 ? '' : 's'} in ${dir}`);
      return 1;
    }
    io.out(`${environments.length} environment files valid in ${dir}: ${environments.map((e) => e.file).join(', ')}`);
    return 0;
  },
};
