import type { BranchSync } from '../core/ports/back-sync.js';
import { backSync, branchProblems, DEFAULT_BRANCHES, DEFAULT_TRUNK, remoteUrl } from '../release/back-sync.js';
import { requiredFlag, stringFlag, UsageError, type Command } from './command.js';

/** Exit status when a branch was left untouched (a conflict, or a lease lost on every attempt). */
export const EXIT_UNTOUCHED = 3;

export const syncCommand: Command = {
  name: 'sync',
  summary: 'rebase the lower environment branches onto main (back-sync), pushing each with --force-with-lease',
  usage: `Options:
  --repo PATH|URL     the remote: a local path or an https://, http:// or file:// URL (required);
                      reached with your own git credentials
  --branches LIST     comma-separated branches to rebase, in order (default: ${DEFAULT_BRANCHES.join(',')})
  --trunk BRANCH      the branch they are rebased onto (default: ${DEFAULT_TRUNK})
  --dry-run           rebase in the clone and say what would be pushed; push nothing
  --json              print [{"branch","outcome","before","after","conflicts","message"}, …]

Each branch is rebased onto the trunk in a fresh clone (removed afterwards); commits whose patch is
already on the trunk are left out. A conflict aborts that branch's rebase and pushes nothing to it.
A push refused because the branch moved meanwhile is retried from a fresh fetch up to 3 times.
Outcomes: synced, up-to-date, conflict, lease-lost, error.

Exit status: 0 every branch synced or up to date, ${EXIT_UNTOUCHED} a branch left untouched (conflict or
lease-lost; files listed), 1 an error, 2 usage error.`,
  options: {
    repo: { type: 'string' },
    branches: { type: 'string' },
    trunk: { type: 'string' },
    'dry-run': { type: 'boolean' },
    json: { type: 'boolean' },
  },
  async run(args, io) {
    const repo = requiredFlag(args, 'repo', 'a local path or an https://, http:// or file:// URL of the remote');
    const trunk = stringFlag(args, 'trunk') ?? DEFAULT_TRUNK;
    const branchesFlag = stringFlag(args, 'branches');
    const branches = branchesFlag === undefined ? [...DEFAULT_BRANCHES] : branchesFlag.split(',').map((b) => b.trim());
    const problems = branchProblems(trunk, branches);
    if (problems.length > 0) {
      const onTrunk = problems[0].startsWith('trunk:');
      const allowed = onTrunk ? 'a branch name, e.g. main' : 'comma-separated branch names other than the trunk, e.g. uat,dev';
      throw new UsageError(
        `${onTrunk ? '--trunk' : '--branches'}: ${problems[0].replace(/^(trunk|branches): /, '')} (allowed: ${allowed})`,
      );
    }
    try {
      remoteUrl(repo);
    } catch (e) {
      throw new UsageError(`--repo: ${(e as Error).message.replace(/^back-sync: /, '')}`);
    }
    const dryRun = args.values['dry-run'] === true;
    const report = await backSync({ repo, trunk, branches, dryRun });
    if (args.values.json) {
      // BranchSync is exactly {branch, outcome, before, after, conflicts, message}
      io.out(JSON.stringify(report.branches));
    } else {
      io.out(`${dryRun ? 'dry run, nothing pushed: ' : ''}${branches.join(', ')} onto ${trunk} ${report.trunkSha.slice(0, 7)}`);
      for (const b of report.branches) printBranch(b, io.out);
    }
    return exitStatus(report.branches);
  },
};

function printBranch(b: BranchSync, out: (line: string) => void): void {
  out(`${b.branch}: ${b.outcome}: ${b.message}`);
  for (const file of b.conflicts) out(`  conflict: ${file}`);
}

/** 1 when any branch failed, else 3 when any was left untouched, else 0. */
export function exitStatus(branches: readonly BranchSync[]): number {
  if (branches.some((b) => b.outcome === 'error')) return 1;
  if (branches.some((b) => b.outcome === 'conflict' || b.outcome === 'lease-lost')) return EXIT_UNTOUCHED;
  return 0;
}
