import { ConfigError, validateEnvironmentFiles } from '../../environments/config.js';
import { DEFAULT_ENV_DIR, readEnvironmentFiles } from '../../environments/load.js';
import { evaluateBranchRules } from '../rules/branch-rules.js';
import { requiredFlag, stringFlag, type Command } from './command.js';

export const checkBranchCommand: Command = {
  name: 'check-branch',
  summary: 'check a pull request pair (head → base) against the branch rules of the environment files',
  usage: `Options:
  --head BRANCH   the pull request's head branch, e.g. feature/login (required)
  --base BRANCH   the pull request's base branch, e.g. dev (required)
  --dir DIR       directory of environment files (default: ${DEFAULT_ENV_DIR})
  --json          print {"allowed":…,"environment":…,"reason":…}

Exit status: 0 allowed, 1 denied (an invalid branch name is a denial) or invalid environment files, 2 usage error.`,
  options: { head: { type: 'string' }, base: { type: 'string' }, dir: { type: 'string' }, json: { type: 'boolean' } },
  async run(args, io) {
    const head = requiredFlag(args, 'head', "the pull request's head branch, e.g. feature/login");
    const base = requiredFlag(args, 'base', "the pull request's base branch, e.g. dev");
    const { environments, problems } = validateEnvironmentFiles(readEnvironmentFiles(stringFlag(args, 'dir') ?? DEFAULT_ENV_DIR));
    if (problems.length > 0) throw new ConfigError(problems);
    const verdict = evaluateBranchRules({ head, base, environments: environments.map((e) => e.environment) });
    if (args.values.json) {
      io.out(JSON.stringify({ allowed: verdict.allowed, environment: verdict.environment ?? null, reason: verdict.reason }));
    } else {
      io.out(verdict.allowed ? `allowed (${verdict.action} ${verdict.environment}): ${verdict.reason}` : `denied: ${verdict.reason}`);
    }
    return verdict.allowed ? 0 : 1;
  },
};
