// Creates the sandbox's bare repository: one initial commit on main, then dev and uat from main.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { git, gitEnv } from './git.js';
import { copyDirectory, writeFiles, type FileMap } from './workspace.js';

export interface RepoInit {
  /** Files of the initial commit (path → content). @default a README.md */
  files?: FileMap;
  /** A directory whose files (minus .git and node_modules) make the initial commit, before `files`. */
  fromDir?: string;
  /** Branches created from main. @default ['dev', 'uat'] */
  branches?: string[];
}

export async function createBareRepo(gitDir: string, init: RepoInit): Promise<void> {
  const env = gitEnv({ GIT_CONFIG_GLOBAL: '/dev/null' });
  await rm(gitDir, { recursive: true, force: true });
  await git(['init', '-q', '--bare', '-b', 'main', gitDir], { env });
  await git(['--git-dir', gitDir, 'config', 'http.receivepack', 'true'], { env });
  const work = await mkdtemp(join(tmpdir(), 'sandbox-init-'));
  try {
    await git(['init', '-q', '-b', 'main', work], { env });
    if (init.fromDir) await copyDirectory(init.fromDir, work);
    await writeFiles(work, init.files ?? (init.fromDir ? {} : { 'README.md': '# sandbox repository\n' }));
    const who = ['-c', 'user.name=sandbox', '-c', 'user.email=sandbox@users.noreply.sandbox.test', '-c', 'commit.gpgsign=false'];
    await git(['-C', work, 'add', '-A'], { env });
    await git(['-C', work, ...who, 'commit', '-q', '-m', 'Initial commit'], { env });
    const branches = init.branches ?? ['dev', 'uat'];
    await git(['-C', work, 'push', '-q', gitDir, 'main', ...branches.map((b) => `main:refs/heads/${b}`)], { env });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}
