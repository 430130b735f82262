// `gitops locks`: the environment locks in the controller's store, per repository and environment the
// holder first, then the waiters in the order they will take it.
import { formatTable } from './stacks.js';
import { withStore } from './store-file.js';
import type { Command } from './command.js';

export const locksCommand: Command = {
  name: 'locks',
  summary: 'list the environment locks and their waiters (from the controller store)',
  usage: `Reads the store at GITOPS_DB_PATH, else <GITOPS_WORK_DIR>/gitops.sqlite (GITOPS_WORK_DIR defaults to .gitops).

Options:
  --json      print JSON instead of a table`,
  options: { json: { type: 'boolean' } },
  async run(args, io) {
    const locks = await withStore((store) => store.listLocks());
    if (args.values.json) {
      io.out(JSON.stringify(locks, null, 2));
      return 0;
    }
    if (locks.length === 0) {
      io.out('no locks held or waited for');
      return 0;
    }
    let position = 0;
    formatTable(
      ['repository', 'environment', 'state', 'holder', 'sha', 'since', 'lease until', 'controller'],
      locks.map((l, i) => {
        const first = i === 0 || locks[i - 1].repo !== l.repo || locks[i - 1].environment !== l.environment;
        position = first ? 0 : position + 1;
        const state = l.state === 'held' ? 'held' : `waiting (${position})`;
        return [l.repo, l.environment, state, l.holder, l.sha?.slice(0, 7) ?? '-', l.acquiredAt ?? l.enqueuedAt, l.leaseExpiresAt, l.owner];
      }),
    ).forEach((line) => io.out(line));
    return 0;
  },
};
