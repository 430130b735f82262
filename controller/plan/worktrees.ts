// One cached clone per repository (bare, under <workDir>/repos) and one detached work tree per job
// (two jobs never share an index.lock). The installation token reaches only the fetch: as an
// http.extraHeader in a 0600 git configuration file (<workDir>/credentials/, GIT_CONFIG_GLOBAL) that
// exists while the fetch runs (controller/git/git.ts).
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { SimpleGit } from 'simple-git';
import { firstLine, gitIn, withGitCredentials } from '../git/git.js';
import { assertNoProblems, repoUrlProblem, shaProblem } from './inputs.js';

export interface WorkTreesOptions {
  /** GITOPS_WORK_DIR: cached clones live in <workDir>/repos. */
  readonly workDir: string;
  /** A git command producing no output for this long is stopped. @default 300000 */
  readonly timeoutMs?: number;
}

export interface CheckoutRequest {
  readonly repoUrl: string;
  /** Installation token (GitHub: sent as Basic x-access-token). @default none (public or file:// remotes) */
  readonly authToken?: string;
  readonly sha: string;
  /** Where the work tree goes; must not exist yet. */
  readonly dir: string;
  readonly signal?: AbortSignal;
}

export interface WorkTree {
  readonly dir: string;
  readonly sha: string;
  /** The cached bare clone the work tree belongs to. */
  readonly repoDir: string;
}

/** A remote URL without its query, fragment or credentials, for messages. */
export function displayUrl(repoUrl: string): string {
  try {
    const u = new URL(repoUrl);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
}

/** The cached clone directory of a remote: readable slug + hash of the URL. */
export function cacheDirName(repoUrl: string): string {
  const url = displayUrl(repoUrl);
  const slug = new URL(repoUrl).pathname
    .replace(/\.git$/, '')
    .split('/')
    .filter(Boolean)
    .slice(-2)
    .join('-')
    .replace(/[^A-Za-z0-9._-]/g, '_');
  return `${slug || 'repo'}-${createHash('sha256').update(url).digest('hex').slice(0, 12)}.git`;
}

export class WorkTrees {
  private readonly reposDir: string;
  private readonly credentialsDir: string;
  private readonly timeoutMs: number;
  /** Git-dir-mutating operations on one cached clone run one at a time. */
  private readonly locks = new Map<string, Promise<unknown>>();

  constructor(opts: WorkTreesOptions) {
    this.reposDir = join(resolve(opts.workDir), 'repos');
    this.credentialsDir = join(resolve(opts.workDir), 'credentials');
    this.timeoutMs = opts.timeoutMs ?? 300_000;
  }

  /** Fetches `sha` into the cached clone of `repoUrl` (if missing) and adds a detached work tree at `dir`. */
  async checkout(req: CheckoutRequest): Promise<WorkTree> {
    assertNoProblems('checkout', [repoUrlProblem('repoUrl', req.repoUrl), shaProblem('sha', req.sha)]);
    const repoDir = join(this.reposDir, cacheDirName(req.repoUrl));
    const dir = resolve(req.dir);
    if (existsSync(dir)) throw new Error(`checkout: work tree directory ${dir} already exists`);
    return this.serialized(repoDir, async () => {
      mkdirSync(repoDir, { recursive: true });
      const git = this.git(repoDir, req.signal);
      if (!existsSync(join(repoDir, 'HEAD'))) await git.raw(['init', '--bare', '--quiet']);
      if (!(await hasCommit(git, req.sha))) {
        await withGitCredentials(this.credentialsDir, req.authToken, (configFile) =>
          this.fetch(this.git(repoDir, req.signal, req.authToken, configFile), git, req.repoUrl, req.sha),
        );
      }
      await git.raw(['worktree', 'add', '--detach', '--quiet', dir, req.sha]);
      return { dir, sha: req.sha, repoDir };
    });
  }

  /** Removes the credential files of fetches a stopped controller left (call at start, before any job); returns how many. */
  removeLeftovers(): number {
    const left = existsSync(this.credentialsDir) ? readdirSync(this.credentialsDir).length : 0;
    rmSync(this.credentialsDir, { recursive: true, force: true });
    return left;
  }

  /** Removes the work tree and its administrative files; safe to call twice. */
  async remove(tree: WorkTree): Promise<void> {
    await this.serialized(tree.repoDir, async () => {
      const git = this.git(tree.repoDir);
      if (existsSync(tree.dir)) {
        try {
          await git.raw(['worktree', 'remove', '--force', tree.dir]);
        } catch {
          rmSync(tree.dir, { recursive: true, force: true });
        }
      }
      await git.raw(['worktree', 'prune']);
    });
  }

  /** Fetches `sha` with `fetching` (the one git carrying the credentials), checking for it with `git`. */
  private async fetch(fetching: SimpleGit, git: SimpleGit, repoUrl: string, sha: string): Promise<void> {
    const failures: string[] = [];
    // Protocol v2 servers (GitHub, git http-backend) serve any reachable commit by SHA; older ones need the refs.
    for (const refspecs of [[sha], ['+refs/heads/*:refs/remotes/origin/*', '+refs/pull/*/head:refs/remotes/pull/*']]) {
      try {
        await fetching.raw(['fetch', '--quiet', '--no-tags', '--', repoUrl, ...refspecs]);
      } catch (e) {
        failures.push(firstLine((e as Error).message));
      }
      if (await hasCommit(git, sha)) return;
    }
    const why = failures.length > 0 ? `: ${failures.at(-1)}` : '';
    throw new Error(`checkout: commit ${sha} is not in ${displayUrl(repoUrl)}${why}`);
  }

  /** git in `repoDir`; with `configFile`, that file is its global configuration (and `token` is kept out of its messages). */
  private git(repoDir: string, signal?: AbortSignal, token?: string, configFile?: string): SimpleGit {
    return gitIn({ baseDir: repoDir, signal, timeoutMs: this.timeoutMs, token, configFile });
  }

  private serialized<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = this.locks.get(key) ?? Promise.resolve();
    const next = previous.then(fn, fn);
    const settled = next.catch(() => undefined);
    this.locks.set(key, settled);
    void settled.then(() => {
      if (this.locks.get(key) === settled) this.locks.delete(key);
    });
    return next;
  }
}

/** `cat-file -e` exits non-zero when the object is missing: simple-git rejects, so this never trusts an empty result. */
async function hasCommit(git: SimpleGit, sha: string): Promise<boolean> {
  try {
    const type = await git.raw(['cat-file', '-t', sha]);
    return type.trim() === 'commit';
  } catch {
    return false;
  }
}
