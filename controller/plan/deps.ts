// node_modules cached per lockfile: <workDir>/deps/<sha256(package-lock.json)>/node_modules, installed once
// (in the sandbox, single-flight per hash, staged then renamed into place) and symlinked into each work tree.
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { lastLine, runSandboxed } from './sandbox.js';

/** The command that fills `node_modules` in a directory holding package.json and package-lock.json. */
export interface Installer {
  readonly command: string;
  readonly args: readonly string[];
}

export const NPM_CI: Installer = { command: 'npm', args: ['ci', '--ignore-scripts=false', '--no-audit', '--no-fund'] };

export interface DependencyCacheOptions {
  /** GITOPS_WORK_DIR: the cache lives in <workDir>/deps. */
  readonly workDir: string;
  /** @default NPM_CI */
  readonly installer?: Installer;
  /** The sandbox environment the installer runs in (the same one as synth). */
  readonly env: Readonly<Record<string, string>>;
  /** @default 600000 */
  readonly timeoutMs?: number;
}

export interface LinkedDependencies {
  readonly hash: string;
  /** The cached node_modules the work tree's node_modules points to. */
  readonly nodeModules: string;
  /** True when the installer ran for this call (or an install it joined); false when the cache already had it. */
  readonly installed: boolean;
}

export class DependencyInstallError extends Error {
  constructor(
    readonly reason: string,
    readonly logTail: string,
  ) {
    super(`dependency install failed: ${reason}`);
    this.name = 'DependencyInstallError';
  }
}

/** The cache key: the lockfile, plus the runtime, since native modules (better-sqlite3) are built for one Node ABI. */
export function lockfileHash(lockfileText: string | Buffer): string {
  return createHash('sha256')
    .update(`${process.platform}-${process.arch}-${process.versions.modules}\n`)
    .update(lockfileText)
    .digest('hex');
}

export class DependencyCache {
  readonly depsDir: string;
  private readonly installer: Installer;
  private readonly inFlight = new Map<string, Promise<boolean>>();

  constructor(private readonly opts: DependencyCacheOptions) {
    this.depsDir = join(resolve(opts.workDir), 'deps');
    this.installer = opts.installer ?? NPM_CI;
  }

  /** The node_modules directory cached for a lockfile hash. */
  nodeModulesFor(hash: string): string {
    return join(this.depsDir, hash, 'node_modules');
  }

  /** Ensures the cache holds the work tree's dependencies and links `<workTree>/node_modules` to it. */
  async link(workTree: string, signal?: AbortSignal): Promise<LinkedDependencies> {
    const lockfile = join(workTree, 'package-lock.json');
    if (!existsSync(lockfile)) throw new DependencyInstallError(`${lockfile} does not exist: plans need a committed package-lock.json`, '');
    const target = join(workTree, 'node_modules');
    if (existsSync(target) || isSymlink(target)) {
      throw new DependencyInstallError(`${target} already exists in the work tree (node_modules must not be committed)`, '');
    }
    const hash = lockfileHash(readFileSync(lockfile));
    const installed = await raceAbort(this.ensure(hash, workTree), signal);
    symlinkSync(this.nodeModulesFor(hash), target, 'dir');
    return { hash, nodeModules: this.nodeModulesFor(hash), installed };
  }

  /** One install per hash at a time; it is not tied to one job's signal, since other jobs may be waiting on it. */
  private ensure(hash: string, workTree: string): Promise<boolean> {
    if (existsSync(this.nodeModulesFor(hash))) return Promise.resolve(false);
    let pending = this.inFlight.get(hash);
    if (!pending) {
      pending = this.install(hash, workTree).finally(() => this.inFlight.delete(hash));
      this.inFlight.set(hash, pending);
    }
    return pending;
  }

  private async install(hash: string, workTree: string): Promise<boolean> {
    const staging = join(this.depsDir, `.staging-${hash.slice(0, 16)}-${randomUUID()}`);
    mkdirSync(staging, { recursive: true });
    try {
      // The root package's own lifecycle scripts are dropped: they are not covered by the lockfile hash,
      // so a pull request could otherwise poison the cache shared by every pull request with the same lockfile.
      const manifest = JSON.parse(readFileSync(join(workTree, 'package.json'), 'utf8')) as Record<string, unknown>;
      delete manifest.scripts;
      writeFileSync(join(staging, 'package.json'), JSON.stringify(manifest, null, 2));
      writeFileSync(join(staging, 'package-lock.json'), readFileSync(join(workTree, 'package-lock.json')));
      const result = await runSandboxed(this.installer.command, this.installer.args, {
        cwd: staging,
        env: this.opts.env,
        timeoutMs: this.opts.timeoutMs ?? 600_000,
      });
      const command = [this.installer.command, ...this.installer.args].join(' ');
      if (result.timedOut) throw new DependencyInstallError(`${command} timed out after ${this.opts.timeoutMs ?? 600_000} ms`, result.log);
      if (result.exitCode !== 0) {
        throw new DependencyInstallError(`${command} exited with ${result.exitCode}: ${lastLine(result.log) ?? 'no output'}`, result.log);
      }
      if (!existsSync(join(staging, 'node_modules'))) throw new DependencyInstallError(`${command} created no node_modules`, result.log);
      try {
        renameSync(staging, join(this.depsDir, hash));
      } catch (e) {
        // another process finished the same lockfile first: its copy is as good as ours
        if (!existsSync(this.nodeModulesFor(hash))) throw e;
      }
      return true;
    } finally {
      rmSync(staging, { recursive: true, force: true });
    }
  }
}

/** Settles with `promise`, or rejects with the signal's reason as soon as it aborts (the work itself goes on). */
function raceAbort<T>(promise: Promise<T>, signal?: AbortSignal): Promise<T> {
  if (!signal) return promise;
  signal.throwIfAborted();
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

function isSymlink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}
