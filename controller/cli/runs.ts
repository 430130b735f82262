// `gitops runs`: the recent plan and apply runs of stacks in the controller's store, newest first.
import { RUN_KINDS, type RunFilter } from '../core/ports/store.js';
import { formatTable } from './stacks.js';
import { withStore } from './store-file.js';
import { stringFlag, UsageError, type Command } from './command.js';

const ENVIRONMENT = /^[a-z][a-z0-9-]{0,15}$/;
const MAX_LIMIT = 1000;

/** The filter the flags ask for; a bad value is a one-line usage error naming the flag and what it allows. */
export function runFilter(values: { env?: string; kind?: string; limit?: string }): RunFilter {
  const filter: { environment?: string; kind?: RunFilter['kind']; limit?: number } = {};
  if (values.env !== undefined) {
    if (!ENVIRONMENT.test(values.env))
      throw new UsageError(
        `--env must be an environment name: lowercase letters, digits and -, at most 16 (got ${JSON.stringify(values.env.slice(0, 60))})`,
      );
    filter.environment = values.env;
  }
  if (values.kind !== undefined) {
    if (!(RUN_KINDS as readonly string[]).includes(values.kind))
      throw new UsageError(`--kind must be one of ${RUN_KINDS.join(', ')} (got ${JSON.stringify(values.kind.slice(0, 60))})`);
    filter.kind = values.kind as RunFilter['kind'];
  }
  if (values.limit !== undefined) {
    if (!/^\d+$/.test(values.limit) || Number(values.limit) < 1 || Number(values.limit) > MAX_LIMIT)
      throw new UsageError(`--limit must be a whole number from 1 to ${MAX_LIMIT} (got ${JSON.stringify(values.limit.slice(0, 60))})`);
    filter.limit = Number(values.limit);
  }
  return filter;
}

export const runsCommand: Command = {
  name: 'runs',
  summary: 'list recent plan and apply runs of stacks (from the controller store)',
  usage: `Reads the store at GITOPS_DB_PATH, else <GITOPS_WORK_DIR>/gitops.sqlite (GITOPS_WORK_DIR defaults to .gitops).

Options:
  --env ENV     only this environment
  --kind KIND   only plan or apply runs
  --limit N     at most N runs, 1 to ${MAX_LIMIT} (default: 50)
  --json        print JSON (with each run's masked log tail) instead of a table`,
  options: { env: { type: 'string' }, kind: { type: 'string' }, limit: { type: 'string' }, json: { type: 'boolean' } },
  async run(args, io) {
    const filter = runFilter({ env: stringFlag(args, 'env'), kind: stringFlag(args, 'kind'), limit: stringFlag(args, 'limit') });
    const runs = await withStore((store) => store.listRuns(filter));
    if (args.values.json) {
      io.out(JSON.stringify(runs, null, 2));
      return 0;
    }
    if (runs.length === 0) {
      io.out('no runs recorded');
      return 0;
    }
    formatTable(
      ['id', 'repository', 'env', 'kind', 'stack', 'sha', 'status', 'started', 'finished'],
      runs.map((r) => [r.id, r.repo, r.environment, r.kind, r.stack, r.sha.slice(0, 7), r.status, r.startedAt, r.finishedAt ?? '-']),
    ).forEach((line) => io.out(line));
    return 0;
  },
};
