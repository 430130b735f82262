// Back-sync: after the trunk (main) moves, each lower environment branch (uat, dev) is rebased onto
// it in a fresh clone and pushed with --force-with-lease=<branch>:<tip seen>, never a blind force.
// git rebase leaves out the commits whose patch (patch-id) is already on the trunk, so nothing is
// duplicated. A rebase that conflicts is aborted and nothing is pushed to that branch; its
// conflicting files are reported. A push refused because someone pushed meanwhile (the lease) is
// retried from a fresh fetch, up to `maxLeaseRetries` times; after that the branch is reported
// `lease-lost`, untouched by us. The clone is removed when the run ends.
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { SimpleGit } from 'simple-git';
import { assertNoProblems, repoUrlProblem } from '../plan/inputs.js';
import { displayUrl } from '../plan/worktrees.js';
import { validateBranchName } from '../rules/branch-name.js';
import { firstLine, gitIn, withGitCredentials } from '../git/git.js';
import type { BackSync, BackSyncOptions, BranchSync } from '../core/ports/back-sync.js';

export const DEFAULT_TRUNK = 'main';
export const DEFAULT_BRANCHES: readonly string[] = ['uat', 'dev'];
export const DEFAULT_LEASE_RETRIES = 3;
const DEFAULT_COMMITTER = { name: 'gitops back-sync', email: 'gitops-back-sync@localhost' };

/** What the adapter takes besides the port's options. */
export interface BackSyncAdapterOptions extends BackSyncOptions {
  /** Where the fresh clone (and, with a token, the credentials file) goes. @default the system's temporary directory */
  readonly workDir?: string;
  /** A git command producing no output for this long is stopped. @default 300000 */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  /** Who commits the rebased commits (their authors are kept). @default gitops back-sync <gitops-back-sync@localhost> */
  readonly committer?: { readonly name: string; readonly email: string };
  /** Called before each push of a branch (attempt 0, 1, …): where a concurrent push can happen. @default none */
  readonly beforePush?: (branch: string, attempt: number) => void | Promise<void>;
}

const URL_SCHEME = /^[a-z][a-z0-9+.-]*:/i;

/** A remote as git takes it: an http(s)/file URL as given, a local path as a file:// URL. Throws naming the value. */
export function remoteUrl(repo: string): string {
  if (typeof repo !== 'string' || repo.trim() === '') {
    throw new Error('back-sync: repo is empty (allowed: https://, http://, file:// URLs or a local path)');
  }
  if (URL_SCHEME.test(repo) && !/^[a-z]:[\\/]/i.test(repo)) {
    assertNoProblems('back-sync', [repoUrlProblem('repo', repo)]);
    return repo;
  }
  const path = resolve(repo);
  if (!existsSync(path))
    throw new Error(
      `back-sync: repo ${JSON.stringify(repo)} is neither a URL nor an existing path (allowed: https://, http://, file:// URLs or a local path)`,
    );
  return pathToFileURL(path).href;
}

/** Every problem of the trunk and branch names at once, or nothing. */
export function branchProblems(trunk: string, branches: readonly string[]): string[] {
  const problems: string[] = [];
  const trunkProblem = validateBranchName(trunk);
  if (trunkProblem) problems.push(`trunk: ${trunkProblem}`);
  if (branches.length === 0) problems.push('branches: none given (at least one branch to rebase)');
  const seen = new Set<string>();
  for (const b of branches) {
    const problem = validateBranchName(b);
    if (problem) problems.push(`branches: ${problem}`);
    else if (b === trunk) problems.push(`branches: ${b} is the trunk; it is what the others are rebased onto`);
    else if (seen.has(b)) problems.push(`branches: ${b} is listed twice`);
    seen.add(b);
  }
  return problems;
}

/** Rebases each branch onto the trunk in a fresh clone of `repo` and pushes it with a lease. */
export const backSync: BackSync<BackSyncAdapterOptions> = async (opts) => {
  const trunk = opts.trunk ?? DEFAULT_TRUNK;
  const branches = [...(opts.branches ?? DEFAULT_BRANCHES)];
  const problems = branchProblems(trunk, branches);
  if (problems.length > 0) throw new Error(`back-sync: ${problems.join('; ')}`);
  const url = remoteUrl(opts.repo);
  const workDir = resolve(opts.workDir ?? tmpdir());
  mkdirSync(workDir, { recursive: true });
  const cloneDir = mkdtempSync(join(workDir, 'sync-'));
  try {
    return await withGitCredentials(join(workDir, 'credentials'), opts.authToken, async (configFile) => {
      const committer = opts.committer ?? DEFAULT_COMMITTER;
      const git = (acceptExitCodes?: number[]) =>
        gitIn({
          baseDir: cloneDir,
          timeoutMs: opts.timeoutMs ?? 300_000,
          signal: opts.signal,
          token: opts.authToken,
          configFile,
          acceptExitCodes,
          // the clone runs nothing and asks nothing of the person's own git settings
          config: [
            `user.name=${committer.name}`,
            `user.email=${committer.email}`,
            'commit.gpgSign=false',
            'core.hooksPath=/dev/null',
            'rebase.autoSquash=false',
            'rebase.autoStash=false',
            'rebase.updateRefs=false',
            'rerere.enabled=false',
            'advice.detachedHead=false',
          ],
        });
      const sync = new Sync(git(), git([1]), url, trunk, opts);
      const trunkSha = await sync.start();
      const results: BranchSync[] = [];
      for (const branch of branches) results.push(await sync.branch(branch, trunkSha));
      return { trunk, trunkSha, dryRun: opts.dryRun === true, branches: results };
    });
  } finally {
    rmSync(cloneDir, { recursive: true, force: true });
  }
};

class Sync {
  constructor(
    private readonly git: SimpleGit,
    /** The same git, for commands whose exit code 1 is an answer. */
    private readonly gitAnswering: SimpleGit,
    private readonly url: string,
    private readonly trunk: string,
    private readonly opts: BackSyncAdapterOptions,
  ) {}

  /** Makes the clone and fetches the trunk; returns its tip. Throws when the remote or the trunk cannot be read. */
  async start(): Promise<string> {
    await this.git.raw(['init', '--quiet']);
    await this.git.raw(['remote', 'add', 'origin', this.url]);
    try {
      await this.fetch(this.trunk);
    } catch (e) {
      throw new Error(`back-sync: cannot fetch ${this.trunk} from ${displayUrl(this.url)}: ${firstLine((e as Error).message)}`, {
        cause: e,
      });
    }
    return this.tip(this.trunk) as Promise<string>;
  }

  async branch(branch: string, trunkSha: string): Promise<BranchSync> {
    let before: string | null = null;
    const retries = this.opts.maxLeaseRetries ?? DEFAULT_LEASE_RETRIES;
    const result = (outcome: BranchSync['outcome'], after: string | null, message: string, conflicts: string[] = []): BranchSync => ({
      branch,
      outcome,
      before,
      after,
      conflicts,
      message,
    });
    try {
      for (let attempt = 0; attempt <= retries; attempt++) {
        try {
          await this.fetch(branch);
        } catch (e) {
          return result('error', before, `cannot fetch ${branch}: ${firstLine((e as Error).message)}`);
        }
        before = (await this.tip(branch)) ?? null;
        if (before === null) return result('error', null, `${branch} does not exist on ${displayUrl(this.url)}`);
        if ((await this.count(`${before}..${trunkSha}`)) === 0) {
          return result('up-to-date', before, `${branch} already contains ${this.trunk} (${short(trunkSha)})`);
        }
        const rebased = await this.rebase(before, trunkSha);
        if ('conflicts' in rebased) {
          return result(
            'conflict',
            before,
            `rebasing ${branch} onto ${this.trunk} conflicts in ${rebased.conflicts.join(', ')}; aborted, nothing pushed`,
            rebased.conflicts,
          );
        }
        const { after, kept } = rebased;
        const what = `${branch} ${short(before)} → ${short(after)} onto ${this.trunk} ${short(trunkSha)} (${kept} commit${kept === 1 ? '' : 's'} kept)`;
        if (this.opts.dryRun) return result('synced', after, `would push ${what}`);
        await this.opts.beforePush?.(branch, attempt);
        await this.opts.recordPush?.({ branch, before, after, trunkSha });
        const pushed = await this.push(branch, before, after);
        if (pushed === 'pushed') return result('synced', after, `pushed ${what}`);
      }
      return result(
        'lease-lost',
        before,
        `${branch} moved on the remote during each of ${retries + 1} attempts (push refused by the lease); nothing pushed`,
      );
    } catch (e) {
      return result('error', before, `${branch}: ${firstLine((e as Error).message)}`);
    }
  }

  private async fetch(branch: string): Promise<void> {
    await this.git.raw(['fetch', '--quiet', '--no-tags', 'origin', `+refs/heads/${branch}:refs/remotes/origin/${branch}`]);
  }

  private async tip(branch: string): Promise<string | undefined> {
    const out = await this.gitAnswering.raw(['rev-parse', '--verify', '--quiet', `refs/remotes/origin/${branch}^{commit}`]);
    return out.trim() || undefined;
  }

  /** How many commits a range holds (rev-list answers with a number, never an empty "false"). */
  private async count(range: string): Promise<number> {
    return Number((await this.git.raw(['rev-list', '--count', range])).trim());
  }

  /** Rebases `before` onto `onto` on a detached HEAD; on a conflict aborts and lists the conflicting files. */
  private async rebase(before: string, onto: string): Promise<{ after: string; kept: number } | { conflicts: string[] }> {
    await this.git.raw(['checkout', '--quiet', '--force', '--detach', before]);
    try {
      await this.git.raw(['rebase', '--quiet', '--empty=drop', '--no-autosquash', onto]);
    } catch (e) {
      // A conflict throws a plain error and leaves the repository mid-rebase: read what conflicts, then abort.
      const unmerged = await this.git.raw(['diff', '--name-only', '--diff-filter=U', '-z']).catch(() => '');
      await this.git.raw(['rebase', '--abort']).catch(() => undefined);
      const conflicts = [...new Set([...unmerged.split('\0').filter(Boolean), ...(await this.mergeConflicts(before, onto))])].sort();
      if (conflicts.length === 0) throw e;
      return { conflicts };
    }
    const after = (await this.git.raw(['rev-parse', 'HEAD'])).trim();
    if ((await this.count(`${after}..${onto}`)) !== 0) throw new Error(`the rebase of ${short(before)} does not contain ${short(onto)}`);
    return { after, kept: await this.count(`${onto}..${after}`) };
  }

  /** The files a merge of `onto` into `before` conflicts on: what a person resolves in the sync pull request. */
  private async mergeConflicts(before: string, onto: string): Promise<string[]> {
    const out = await this.gitAnswering
      .raw(['merge-tree', '--write-tree', '--name-only', '--no-messages', '-z', before, onto])
      .catch(() => '');
    // the first entry is the merged tree's id; the conflicting paths follow
    return out.split('\0').slice(1).filter(Boolean);
  }

  private async push(branch: string, before: string, after: string): Promise<'pushed' | 'lease-lost'> {
    try {
      await this.git.raw([
        'push',
        '--quiet',
        `--force-with-lease=refs/heads/${branch}:${before}`,
        'origin',
        `${after}:refs/heads/${branch}`,
      ]);
      return 'pushed';
    } catch (e) {
      if (/\(stale info\)/.test((e as Error).message)) return 'lease-lost';
      throw e;
    }
  }
}

const short = (sha: string) => sha.slice(0, 7);
