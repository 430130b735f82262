// Read-side git plumbing over the sandbox's bare repository: every answer the REST API gives about
// commits, files, refs and diffs is computed by the real `git`, never modelled in memory.
import { execFile } from 'node:child_process';

export interface GitResult {
  stdout: string;
  stderr: string;
  code: number;
}

export interface CommitInfo {
  sha: string;
  tree: string;
  parents: string[];
  author: { name: string; email: string; date: string };
  committer: { name: string; email: string; date: string };
  message: string;
}

export interface FileChange {
  filename: string;
  previousFilename?: string;
  status: 'added' | 'removed' | 'modified' | 'renamed' | 'copied' | 'changed';
  sha: string;
  additions: number;
  deletions: number;
}

export interface TreeEntry {
  name: string;
  type: 'file' | 'dir' | 'symlink' | 'submodule';
  sha: string;
  size: number;
}

export const ZERO_SHA = '0000000000000000000000000000000000000000';
const COMMIT_FORMAT = ['%H', '%T', '%P', '%an', '%ae', '%aI', '%cn', '%ce', '%cI', '%B'].join('%x00') + '%x1e';

/** The environment every git child gets: no GIT_* leaking in from a hook or the caller, no prompts. */
export function gitEnv(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (value !== undefined && !key.startsWith('GIT_')) env[key] = value;
  }
  return { ...env, GIT_TERMINAL_PROMPT: '0', GIT_CONFIG_NOSYSTEM: '1', LC_ALL: 'C', ...extra };
}

export function runGit(args: string[], options: { cwd?: string; env?: Record<string, string>; input?: string } = {}): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      'git',
      args,
      { cwd: options.cwd, env: options.env ?? gitEnv(), maxBuffer: 256 * 1024 * 1024, encoding: 'buffer' },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        if (error && typeof error.code !== 'number') return reject(error);
        resolve({ stdout: stdout.toString('utf8'), stderr: stderr.toString('utf8'), code });
      },
    );
    if (options.input !== undefined) child.stdin?.end(options.input);
  });
}

/** Throws with git's own message when the command fails. */
export async function git(args: string[], options: { cwd?: string; env?: Record<string, string> } = {}): Promise<string> {
  const result = await runGit(args, options);
  if (result.code !== 0) throw new Error(`git ${args.join(' ')} failed (${result.code}): ${result.stderr.trim()}`);
  return result.stdout;
}

/** A revision a client sent us is only ever passed to git after this check. */
export function isSafeRevision(rev: string): boolean {
  return rev.length > 0 && rev.length < 256 && !rev.startsWith('-') && !/[\s\0~^:?*[\\]|\.\.|@\{/.test(rev);
}

export class BareRepo {
  constructor(readonly gitDir: string) {}

  private run(args: string[]): Promise<GitResult> {
    return runGit(['--git-dir', this.gitDir, ...args]);
  }

  private async out(args: string[]): Promise<string> {
    return git(['--git-dir', this.gitDir, ...args]);
  }

  /** The commit a branch, tag, `heads/x`, `refs/heads/x` or SHA names; undefined when none. */
  async resolveCommit(rev: string): Promise<string | undefined> {
    if (!isSafeRevision(rev.replace(/^refs\//, ''))) return undefined;
    const result = await this.run(['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`]);
    return result.code === 0 ? result.stdout.trim() : undefined;
  }

  /** Full ref names (refs/heads/main, refs/tags/v1) → SHA. */
  async refs(): Promise<Map<string, string>> {
    const text = await this.out(['for-each-ref', '--format=%(refname) %(objectname)']);
    const refs = new Map<string, string>();
    for (const line of text.split('\n').filter(Boolean)) {
      const [name, sha] = line.split(' ') as [string, string];
      refs.set(name, sha);
    }
    return refs;
  }

  async branchSha(branch: string): Promise<string | undefined> {
    return (await this.refs()).get(`refs/heads/${branch}`);
  }

  async isAncestor(ancestor: string, descendant: string): Promise<boolean> {
    return (await this.run(['merge-base', '--is-ancestor', ancestor, descendant])).code === 0;
  }

  async mergeBase(a: string, b: string): Promise<string | undefined> {
    const result = await this.run(['merge-base', a, b]);
    return result.code === 0 ? result.stdout.trim() : undefined;
  }

  async count(range: string): Promise<number> {
    return Number((await this.out(['rev-list', '--count', range])).trim());
  }

  /** Commits of `range` (e.g. `base..head`, or [tip, ^other…]), oldest first, at most `limit`. */
  async commits(range: string | string[], limit = 250): Promise<CommitInfo[]> {
    const revs = typeof range === 'string' ? [range] : range;
    const text = await this.out(['log', '--reverse', `--format=${COMMIT_FORMAT}`, ...revs, '--']);
    const records = text
      .split('\x1e')
      .map((r) => r.replace(/^\n/, ''))
      .filter(Boolean);
    return records.slice(0, limit).map(parseCommit);
  }

  async commit(sha: string): Promise<CommitInfo> {
    return parseCommit(await this.out(['show', '-s', `--format=${COMMIT_FORMAT.replace('%x1e', '')}`, sha]));
  }

  /** Files changed from `base` to `head` with rename detection, as GitHub's diff entries describe them. */
  async diff(base: string, head: string): Promise<FileChange[]> {
    const raw = (await this.out(['diff', '--raw', '-z', '--no-abbrev', '-M', base, head])).split('\0');
    const numstat = (await this.out(['diff', '--numstat', '-z', '-M', base, head])).split('\0');
    const changes: FileChange[] = [];
    for (let i = 0; i < raw.length - 1;) {
      const meta = (raw[i++] as string).slice(1).split(' ');
      const letter = (meta[4] ?? 'M')[0] as string;
      const first = raw[i++] as string;
      const second = letter === 'R' || letter === 'C' ? (raw[i++] as string) : undefined;
      const removed = letter === 'D';
      changes.push({
        filename: second ?? first,
        ...(second ? { previousFilename: first } : {}),
        status: STATUS[letter] ?? 'changed',
        sha: removed ? (meta[2] as string) : (meta[3] as string),
        additions: 0,
        deletions: 0,
      });
    }
    let index = 0;
    for (let i = 0; i < numstat.length - 1 && index < changes.length; index++) {
      const [added, deleted, path] = (numstat[i++] as string).split('\t');
      if (path === '') i += 2; // rename: old and new path follow as their own fields
      const change = changes[index] as FileChange;
      change.additions = added === '-' ? 0 : Number(added);
      change.deletions = deleted === '-' ? 0 : Number(deleted);
    }
    return changes;
  }

  /** `blob`, `tree`, … for `<commit>:<path>` ('' = the root tree); undefined when absent. */
  async objectType(commit: string, path: string): Promise<string | undefined> {
    const result = await this.run(['cat-file', '-t', `${commit}:${path}`]);
    return result.code === 0 ? result.stdout.trim() : undefined;
  }

  async blob(commit: string, path: string): Promise<{ sha: string; content: Buffer }> {
    const sha = (await this.out(['rev-parse', `${commit}:${path}`])).trim();
    const content = await new Promise<Buffer>((resolve, reject) => {
      execFile(
        'git',
        ['--git-dir', this.gitDir, 'cat-file', 'blob', sha],
        { env: gitEnv(), encoding: 'buffer', maxBuffer: 256 * 1024 * 1024 },
        (e, out) => (e ? reject(e) : resolve(out)),
      );
    });
    return { sha, content };
  }

  async tree(commit: string, path: string): Promise<TreeEntry[]> {
    const text = await this.out(['ls-tree', '-l', '-z', `${commit}:${path}`]);
    return text
      .split('\0')
      .filter(Boolean)
      .map((line) => {
        const [meta, name] = line.split('\t') as [string, string];
        const [mode, type, sha, size] = meta.split(/\s+/) as [string, string, string, string];
        const kind: TreeEntry['type'] = type === 'tree' ? 'dir' : type === 'commit' ? 'submodule' : mode === '120000' ? 'symlink' : 'file';
        return { name, type: kind, sha, size: size === '-' ? 0 : Number(size) };
      });
  }

  async treeSha(commit: string): Promise<string> {
    return (await this.out(['rev-parse', `${commit}^{tree}`])).trim();
  }

  /** Moves a ref only if it still points at `expected` (ZERO_SHA = must not exist yet). */
  async updateRef(ref: string, sha: string, expected: string): Promise<GitResult> {
    return this.run(['update-ref', ref, sha, expected]);
  }

  /** Whether `ref` is a well-formed full ref name (git check-ref-format). */
  async isValidRefName(ref: string): Promise<boolean> {
    return !ref.startsWith('-') && (await runGit(['check-ref-format', ref])).code === 0;
  }

  /** Whether merging `head` into `base` would conflict (git merge-tree, no work tree touched). */
  async mergeable(base: string, head: string): Promise<boolean> {
    return (await this.run(['merge-tree', '--write-tree', base, head])).code === 0;
  }
}

const STATUS: Record<string, FileChange['status']> = {
  A: 'added',
  D: 'removed',
  M: 'modified',
  R: 'renamed',
  C: 'copied',
  T: 'changed',
};

function parseCommit(record: string): CommitInfo {
  const [sha, tree, parents, an, ae, ad, cn, ce, cd, ...message] = record.split('\0') as string[];
  return {
    sha: sha as string,
    tree: tree as string,
    parents: (parents ?? '').split(' ').filter(Boolean),
    author: { name: an as string, email: ae as string, date: isoSeconds(ad as string) },
    committer: { name: cn as string, email: ce as string, date: isoSeconds(cd as string) },
    message: message.join('\0').replace(/\n+$/, ''),
  };
}

/** GitHub's timestamp shape: UTC, whole seconds, `Z`. */
export function isoSeconds(date: string | Date | number = new Date()): string {
  return new Date(date).toISOString().replace(/\.\d{3}Z$/, 'Z');
}
