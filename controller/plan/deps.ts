// node_modules cached per lockfile: <workDir>/deps/<sha256(runtime, package-lock.json)>/node_modules.
// Only the controller writes an entry: the installer runs in the sandbox (network on) into a staging
// directory of its own; the controller then moves the staged node_modules into the cache, gives it to
// its own uid, takes write permission away, and records the tree's content and stat digests in
// <entry>/entry.json, beside node_modules and outside anything a sandbox mounts. Before every use the
// entry is checked against that record (the stat digest; the content digest again whenever a stat
// differs): an entry with no record, from another installer, or whose content changed is discarded and
// installed again. Work trees link <tree>/node_modules to the entry; synth mounts it read-only.
import { createHash, randomUUID } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import {
  chmodSync,
  existsSync,
  lstatSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { rename } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { carriedSettings, isNpm, parseNpmrc, readCaFile, readMachineNpmSettings, renderNpmrc, type NpmSettings } from './npm-settings.js';
import { lastLine, prepareOutput, runPullRequestCode, type Isolation } from './sandbox.js';
import { contentDigest, listTree, removeTree, sealTree, statDigest } from './tree-digest.js';

/** The command that fills `node_modules` in a directory holding package.json and package-lock.json. */
export interface Installer {
  readonly command: string;
  readonly args: readonly string[];
  /** Host paths the installer reads besides its directory (mounted read-only in the sandbox). @default none */
  readonly inputs?: readonly string[];
}

/**
 * What synth needs and nothing more: the production dependencies, no lifecycle scripts (no package's code
 * runs at install; synth needs no native build, better-sqlite3's included), no audit or funding calls.
 */
export const NPM_CI: Installer = { command: 'npm', args: ['ci', '--ignore-scripts', '--omit=dev', '--no-audit', '--no-fund'] };

export interface DependencyCacheOptions {
  /** GITOPS_WORK_DIR: the cache lives in <workDir>/deps. */
  readonly workDir: string;
  /** @default NPM_CI */
  readonly installer?: Installer;
  /** The sandbox environment the installer runs in (the same one as synth's); npm's cache and configuration are added. */
  readonly env: Readonly<Record<string, string>>;
  /** How the installer runs: in the sandbox, with network. */
  readonly isolation: Isolation;
  /** @default 600000 */
  readonly timeoutMs?: number;
  /** The machine's npm settings. @default read once (`npm config list --json`) when the installer is npm, else none */
  readonly machineNpmSettings?: NpmSettings;
}

export interface LinkedDependencies {
  readonly hash: string;
  /** The cached node_modules the work tree's node_modules points to (mount it read-only). */
  readonly nodeModules: string;
  /** True when the installer ran for this call (or an install it joined); false when the cache already had it. */
  readonly installed: boolean;
  /** Why the cache's entry was discarded before this install, when it failed verification. */
  readonly discarded?: string;
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

/** What the controller recorded of an entry it installed. */
interface EntryRecord {
  /** The installer's command line: an entry another installer made is not this one's. */
  readonly installer: string;
  readonly content: string;
  readonly stats: string;
  readonly entries: number;
  readonly recordedAt: string;
}

type Ensured = Pick<LinkedDependencies, 'installed' | 'discarded'>;

/** A file of the pull request the controller itself reads: a link could point it at any host file. */
function readTreeFile(workTree: string, name: string): Buffer {
  const file = join(workTree, name);
  const stat = lstatSync(file, { throwIfNoEntry: false });
  if (stat === undefined) throw new DependencyInstallError(`${file} does not exist: plans need a committed ${name}`, '');
  if (!stat.isFile())
    throw new DependencyInstallError(`${file} is not a regular file (a link or a directory): plans need a committed ${name}`, '');
  return readFileSync(file);
}

export class DependencyCache {
  readonly depsDir: string;
  private readonly installer: Installer;
  private readonly installerLine: string;
  private readonly inFlight = new Map<string, Promise<Ensured>>();
  private machineSettings: Promise<NpmSettings> | undefined;

  constructor(private readonly opts: DependencyCacheOptions) {
    this.depsDir = join(resolve(opts.workDir), 'deps');
    this.installer = opts.installer ?? NPM_CI;
    this.installerLine = [this.installer.command, ...this.installer.args].join(' ');
    if (opts.machineNpmSettings) this.machineSettings = Promise.resolve(opts.machineNpmSettings);
  }

  /** The node_modules directory cached for a lockfile hash. */
  nodeModulesFor(hash: string): string {
    return join(this.depsDir, hash, 'node_modules');
  }

  /** Ensures the cache holds the work tree's dependencies, verified, and links `<workTree>/node_modules` to them. */
  async link(workTree: string, signal?: AbortSignal): Promise<LinkedDependencies> {
    const lockfile = readTreeFile(workTree, 'package-lock.json');
    const target = join(workTree, 'node_modules');
    if (lstatSync(target, { throwIfNoEntry: false })) {
      throw new DependencyInstallError(`${target} already exists in the work tree (node_modules must not be committed)`, '');
    }
    const hash = lockfileHash(lockfile);
    const ensured = await raceAbort(this.ensure(hash, workTree), signal);
    symlinkSync(this.nodeModulesFor(hash), target, 'dir');
    return { hash, nodeModules: this.nodeModulesFor(hash), ...ensured };
  }

  /**
   * Makes `nodeModules` (installed elsewhere by this installer from `lockfileText`; moved, not copied) the entry of
   * that lockfile, recorded as an install would be. Its files keep their modes (they may be hard links shared with
   * another tree); its directories are sealed. For dependencies installed ahead of time, and for tests.
   */
  async adopt(lockfileText: string | Buffer, nodeModules: string): Promise<string> {
    const hash = lockfileHash(lockfileText);
    if (existsSync(join(this.depsDir, hash))) await this.discard(hash);
    await this.record(hash, nodeModules, false);
    return this.nodeModulesFor(hash);
  }

  /**
   * Removes the staging and discarded directories of installs a stopped controller left (their entries, never
   * recorded, are not used anyway). Call it at start, before any job runs. Returns how many there were.
   */
  removeLeftovers(): number {
    const names = existsSync(this.depsDir) ? readdirSync(this.depsDir).filter((name) => /^\.(staging|discarded|adopting)-/.test(name)) : [];
    for (const name of names) {
      const dir = join(this.depsDir, name);
      try {
        rmSync(dir, { recursive: true, force: true });
      } catch {
        execFileSync('chmod', ['-R', 'u+w', dir]); // a sealed tree, and a controller that is not root
        rmSync(dir, { recursive: true, force: true });
      }
    }
    return names.length;
  }

  /** One verification or install per hash at a time; it is not tied to one job's signal, since other jobs may be waiting on it. */
  private ensure(hash: string, workTree: string): Promise<Ensured> {
    const pending = this.inFlight.get(hash);
    if (pending) return pending;
    const run = this.verifyOrInstall(hash, workTree).finally(() => this.inFlight.delete(hash));
    this.inFlight.set(hash, run);
    return run;
  }

  private async verifyOrInstall(hash: string, workTree: string): Promise<Ensured> {
    const problem = await this.verify(hash);
    if (problem === undefined) return { installed: false };
    const discarded = existsSync(join(this.depsDir, hash)) ? problem : undefined;
    if (discarded) await this.discard(hash);
    await this.install(hash, workTree);
    return { installed: true, ...(discarded ? { discarded } : {}) };
  }

  /** Why the entry may not be used (undefined when it may): checked against the record the install made. */
  private async verify(hash: string): Promise<string | undefined> {
    const entry = join(this.depsDir, hash);
    if (!existsSync(entry)) return 'not installed';
    let record: EntryRecord;
    try {
      record = JSON.parse(readFileSync(join(entry, 'entry.json'), 'utf8')) as EntryRecord;
    } catch {
      return 'it has no record of an install by the controller';
    }
    if (record.installer !== this.installerLine) return `it was installed by ${record.installer}, not ${this.installerLine}`;
    let tree;
    try {
      tree = await listTree(this.nodeModulesFor(hash));
    } catch (e) {
      return `its node_modules cannot be read (${(e as Error).message})`;
    }
    const stats = statDigest(tree);
    if (stats === record.stats) return undefined;
    if ((await contentDigest(tree)) !== record.content) {
      return 'its content is not what the install recorded (files were changed, added or removed since)';
    }
    this.writeRecord(hash, { ...record, stats }); // touched, not changed: the content is the installed one
    return undefined;
  }

  private async discard(hash: string): Promise<void> {
    const trash = join(this.depsDir, `.discarded-${randomUUID()}`);
    renameSync(join(this.depsDir, hash), trash); // the key is free at once; removing the tree takes a while
    await removeTree(trash);
  }

  private async install(hash: string, workTree: string): Promise<void> {
    mkdirSync(this.depsDir, { recursive: true });
    chmodSync(this.depsDir, 0o711);
    const staging = prepareOutput(this.opts.isolation, join(this.depsDir, `.staging-${randomUUID()}`));
    try {
      // The root package's own lifecycle scripts are dropped: they are not covered by the lockfile hash,
      // so a pull request could otherwise poison the cache shared by every pull request with the same lockfile.
      let manifest: Record<string, unknown>;
      try {
        manifest = JSON.parse(readTreeFile(workTree, 'package.json').toString('utf8')) as Record<string, unknown>;
      } catch (e) {
        if (e instanceof DependencyInstallError) throw e;
        throw new DependencyInstallError(`${join(workTree, 'package.json')} is not JSON: ${(e as Error).message}`, '');
      }
      delete manifest.scripts;
      writeFileSync(join(staging, 'package.json'), JSON.stringify(manifest, null, 2));
      writeFileSync(join(staging, 'package-lock.json'), readTreeFile(workTree, 'package-lock.json'));
      const npm = await this.npmConfiguration(workTree, staging);
      const timeoutMs = this.opts.timeoutMs ?? 600_000;
      const result = await runPullRequestCode(this.opts.isolation, {
        command: this.installer.command,
        args: this.installer.args,
        cwd: staging,
        inputs: [...(this.installer.inputs ?? []), ...npm.inputs],
        output: staging,
        env: { ...this.opts.env, ...npm.env },
        network: true,
        timeoutMs,
      });
      const command = this.installerLine;
      if (result.timedOut) throw new DependencyInstallError(`${command} timed out after ${timeoutMs} ms`, result.log);
      if (result.exitCode !== 0) {
        throw new DependencyInstallError(`${command} exited with ${result.exitCode}: ${lastLine(result.log) ?? 'no output'}`, result.log);
      }
      if (!lstatSync(join(staging, 'node_modules'), { throwIfNoEntry: false })?.isDirectory()) {
        throw new DependencyInstallError(`${command} created no node_modules`, result.log);
      }
      await this.record(hash, join(staging, 'node_modules'), true);
    } finally {
      await removeTree(staging);
    }
  }

  /** Moves `nodeModules` into the entry of `hash`, seals it and writes its record (last: an entry without one is never used). */
  private async record(hash: string, nodeModules: string, sealFiles: boolean): Promise<void> {
    const entry = join(this.depsDir, hash);
    mkdirSync(entry, { recursive: true });
    chmodSync(this.depsDir, 0o711);
    chmodSync(entry, 0o711);
    await rename(nodeModules, this.nodeModulesFor(hash));
    const installed = await listTree(this.nodeModulesFor(hash));
    await sealTree(sealFiles ? installed : installed.filter((e) => e.stat.isDirectory()));
    const sealed = await listTree(this.nodeModulesFor(hash));
    this.writeRecord(hash, {
      installer: this.installerLine,
      content: await contentDigest(sealed),
      stats: statDigest(sealed),
      entries: sealed.length,
      recordedAt: new Date().toISOString(),
    });
  }

  private writeRecord(hash: string, record: EntryRecord): void {
    const file = join(this.depsDir, hash, 'entry.json');
    writeFileSync(`${file}.tmp`, JSON.stringify(record, null, 2), { mode: 0o600 });
    renameSync(`${file}.tmp`, file);
  }

  /**
   * npm's carried settings for this install: the machine's as the user configuration (its CA file copied in, the
   * sandbox sees few host paths), the repository's .npmrc as the project's, npm's cache in the staging directory
   * (the sandbox's HOME is a small tmpfs), and an empty global configuration (the machine's was read through npm).
   */
  private async npmConfiguration(workTree: string, staging: string): Promise<{ env: Record<string, string>; inputs: string[] }> {
    this.machineSettings ??= isNpm(this.installer.command) ? readMachineNpmSettings(this.installer.command, '/') : Promise.resolve({});
    let machine: Record<string, string>;
    try {
      machine = { ...(await this.machineSettings) };
    } catch (e) {
      this.machineSettings = undefined;
      throw new DependencyInstallError(`cannot read this machine's npm configuration: ${(e as Error).message}`, '');
    }
    const inputs: string[] = [];
    if (machine.cafile !== undefined) {
      const ca = readCaFile(machine.cafile);
      delete machine.cafile;
      if (ca) {
        writeFileSync(join(staging, '.npm-ca.pem'), ca);
        machine.cafile = join(staging, '.npm-ca.pem');
      }
    }
    if (machine.nodedir !== undefined && !machine.nodedir.startsWith('/usr/') && existsSync(machine.nodedir)) inputs.push(machine.nodedir);
    const rc = join(workTree, '.npmrc');
    const repository = lstatSync(rc, { throwIfNoEntry: false })?.isFile()
      ? carriedSettings(parseNpmrc(readFileSync(rc, 'utf8')), 'repository')
      : {};
    const env = {
      npm_config_userconfig: join(staging, '.npmrc-machine'),
      npm_config_globalconfig: join(staging, '.npmrc-global'),
      npm_config_cache: join(staging, '.npm-cache'),
      npm_config_update_notifier: 'false',
    };
    writeFileSync(join(staging, '.npmrc'), renderNpmrc(repository));
    writeFileSync(env.npm_config_userconfig, renderNpmrc(machine));
    writeFileSync(env.npm_config_globalconfig, '');
    return { env, inputs };
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
