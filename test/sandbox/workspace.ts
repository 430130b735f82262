// The test helpers' own clone of the sandbox repository. Every helper commit and merge is pushed over
// git HTTP with a token, exactly like a developer's push, so it travels the path the controller's pushes do.
import { existsSync } from 'node:fs';
import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, isAbsolute, join, normalize } from 'node:path';
import { git, gitEnv, runGit } from './git.js';
import { Mutex } from './mutex.js';
import { NOREPLY_DOMAIN } from './representations-git.js';

/** Path → new content; `null` deletes the file. */
export type FileMap = Record<string, string | Buffer | null>;

export interface MergeInput {
  base: string;
  head: string;
  user: string;
  method: 'merge' | 'squash';
  message: string;
}

export class Workspace {
  private readonly lock = new Mutex();
  private cloned = false;

  constructor(
    private readonly dir: string,
    private readonly cloneUrl: string,
    private readonly tokenFor: (login: string) => string,
  ) {}

  /** Commits `files` on `branch` (created from `from` when missing) and pushes it; returns the new SHA. */
  commit(input: { branch: string; from: string; files: FileMap; message: string; user: string; allowEmpty?: boolean }): Promise<string> {
    return this.lock.run(async () => {
      await this.sync(input.user);
      const exists = await this.hasRemoteBranch(input.branch, input.user);
      await this.git(input.user, ['checkout', '-q', '-B', input.branch, `origin/${exists ? input.branch : input.from}`]);
      await writeFiles(this.dir, input.files);
      await this.git(input.user, ['add', '-A']);
      await this.git(input.user, ['commit', '-q', ...(input.allowEmpty ? ['--allow-empty'] : []), '-m', input.message]);
      await this.git(input.user, ['push', '-q', 'origin', `HEAD:refs/heads/${input.branch}`]);
      return (await this.git(input.user, ['rev-parse', 'HEAD'])).trim();
    });
  }

  /** Points a new branch at `from`'s tip and pushes it. */
  createBranch(name: string, from: string, user: string): Promise<string> {
    return this.lock.run(async () => {
      await this.sync(user);
      await this.git(user, ['push', '-q', 'origin', `refs/remotes/origin/${from}:refs/heads/${name}`]);
      return (await this.git(user, ['rev-parse', `origin/${from}`])).trim();
    });
  }

  /**
   * Merges `head` into `base` in the clone; `beforePush(sha)` runs between the merge commit and the push
   * (GitHub marks the pull request merged as the branch moves). A conflict aborts and throws.
   */
  merge(input: MergeInput, beforePush: (sha: string) => Promise<void>): Promise<string> {
    return this.lock.run(async () => {
      await this.sync(input.user);
      await this.git(input.user, ['checkout', '-q', '-B', input.base, `origin/${input.base}`]);
      const args =
        input.method === 'squash'
          ? ['merge', '--squash', `origin/${input.head}`]
          : ['merge', '--no-ff', '-m', input.message, `origin/${input.head}`];
      const merged = await runGit(['-C', this.dir, ...identity(input.user), ...args], { env: this.env(input.user) });
      if (merged.code !== 0) {
        const conflicts = (await this.git(input.user, ['diff', '--name-only', '--diff-filter=U'])).trim().split('\n').filter(Boolean);
        await runGit(['-C', this.dir, 'merge', '--abort'], { env: this.env(input.user) });
        await this.git(input.user, ['reset', '-q', '--hard']);
        throw new Error(
          `sandbox: merging ${input.head} into ${input.base} conflicts in ${conflicts.join(', ') || 'the tree'}: ${merged.stdout.trim()}`,
        );
      }
      if (input.method === 'squash') await this.git(input.user, ['commit', '-q', '-m', input.message]);
      const sha = (await this.git(input.user, ['rev-parse', 'HEAD'])).trim();
      await beforePush(sha);
      await this.git(input.user, ['push', '-q', 'origin', `HEAD:refs/heads/${input.base}`]);
      return sha;
    });
  }

  private async sync(user: string): Promise<void> {
    if (!this.cloned) {
      await rm(this.dir, { recursive: true, force: true });
      await mkdir(dirname(this.dir), { recursive: true });
      await git([...this.auth(user), 'clone', '-q', this.cloneUrl, this.dir], { env: this.env(user) });
      this.cloned = true;
    }
    await this.git(user, ['fetch', '-q', '--prune', 'origin']);
    await this.git(user, ['reset', '-q', '--hard']);
    await this.git(user, ['clean', '-q', '-fdx']);
  }

  private async hasRemoteBranch(branch: string, user: string): Promise<boolean> {
    return (
      (await runGit(['-C', this.dir, 'rev-parse', '--verify', '--quiet', `refs/remotes/origin/${branch}`], { env: this.env(user) }))
        .code === 0
    );
  }

  private git(user: string, args: string[]): Promise<string> {
    return git(['-C', this.dir, ...this.auth(user), ...identity(user), ...args], { env: this.env(user) });
  }

  private auth(user: string): string[] {
    const basic = Buffer.from(`x-access-token:${this.tokenFor(user)}`).toString('base64');
    return ['-c', `http.extraHeader=Authorization: Basic ${basic}`];
  }

  private env(_user: string): Record<string, string> {
    return gitEnv({ GIT_CONFIG_GLOBAL: '/dev/null' });
  }
}

function identity(user: string): string[] {
  return ['-c', `user.name=${user}`, '-c', `user.email=${user}@${NOREPLY_DOMAIN}`, '-c', 'commit.gpgsign=false'];
}

export async function writeFiles(root: string, files: FileMap): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    const clean = normalize(path);
    if (isAbsolute(clean) || clean.startsWith('..') || clean.split(/[\\/]/).includes('.git')) {
      throw new Error(`sandbox: file path ${JSON.stringify(path)} must be relative, inside the repository and not under .git`);
    }
    const target = join(root, clean);
    if (content === null) {
      await rm(target, { force: true });
      continue;
    }
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, content);
  }
}

/** Copies a directory's files (not .git, not node_modules) into `root`. */
export async function copyDirectory(from: string, root: string): Promise<void> {
  if (!existsSync(from)) throw new Error(`sandbox: fromDir ${from} does not exist`);
  await cp(from, root, {
    recursive: true,
    filter: (source) => !/(^|[\\/])(\.git|node_modules)([\\/]|$)/.test(source.slice(from.length)),
  });
}
