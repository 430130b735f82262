// Reads the environment files of a directory from disk. Only regular files are read: a symlink is
// never followed (one could name /etc/passwd), a directory or a fifo never opened. Each file is read
// whole or not at all, at most MAX_ENVIRONMENT_FILE_BYTES, and every problem is collected.
import { closeSync, constants, existsSync, fstatSync, openSync, readdirSync, readSync, statSync, type Dirent } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, validateEnvironmentFiles, type ConfigProblem, type EnvironmentFile, type ParsedEnvironment } from './config.js';
import {
  MAX_ENVIRONMENT_FILE_BYTES,
  MAX_ENVIRONMENT_FILES,
  decodeEnvironmentFile,
  notRegularFileProblem,
  tooLargeProblem,
  type EntryKind,
} from './file-limits.js';
import type { Environment } from './schema.js';

export const DEFAULT_ENV_DIR = 'environments';

/** What `readEnvironmentDirectory` found: the files read, and a problem for each one that could not be. */
export interface EnvironmentDirectory {
  readonly files: EnvironmentFile[];
  readonly problems: ConfigProblem[];
  /** Names of the `*.yaml` files that could not be read. */
  readonly unreadable: string[];
}

function kindOf(entry: Dirent | ReturnType<typeof fstatSync>): EntryKind | undefined {
  if (entry.isFile()) return undefined;
  if (entry.isSymbolicLink()) return 'symlink';
  if (entry.isDirectory()) return 'directory';
  if (entry.isFIFO()) return 'fifo';
  if (entry.isSocket()) return 'socket';
  if (entry.isBlockDevice() || entry.isCharacterDevice()) return 'device';
  return 'other';
}

// No symlink is followed even if one replaces the file after the directory was listed; a fifo does not block the open.
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/** Reads one directory entry already known to be a regular file; `buffer` holds one byte more than the limit. */
function readRegularFile(dir: string, name: string, buffer: Buffer): { file: EnvironmentFile } | { problem: ConfigProblem } {
  let fd: number;
  try {
    fd = openSync(join(dir, name), OPEN_FLAGS);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'error';
    if (code === 'ELOOP') return { problem: notRegularFileProblem(name, 'symlink') };
    return { problem: { file: name, path: '', message: `cannot be opened (${code}) (allowed: a readable regular file)` } };
  }
  try {
    const stat = fstatSync(fd);
    const kind = kindOf(stat);
    if (kind) return { problem: notRegularFileProblem(name, kind) };
    if (stat.size > MAX_ENVIRONMENT_FILE_BYTES) return { problem: tooLargeProblem(name, stat.size) };
    let length = 0;
    for (let n = -1; n !== 0 && length < buffer.length; length += n) n = readSync(fd, buffer, length, buffer.length - length, null);
    // A file that grew past the limit while it was read is refused, not cut.
    if (length > MAX_ENVIRONMENT_FILE_BYTES) return { problem: tooLargeProblem(name, length) };
    return decodeEnvironmentFile(name, buffer.subarray(0, length));
  } finally {
    closeSync(fd);
  }
}

/** Reads every `*.yaml`/`*.yml` file of `dir`; throws ConfigError only when `dir` is not a directory. */
export function readEnvironmentDirectory(dir: string): EnvironmentDirectory {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new ConfigError([{ file: dir, path: '', message: 'is not a directory of environment files (set --dir)' }]);
  }
  const entries = readdirSync(dir, { withFileTypes: true })
    .filter((e) => /\.ya?ml$/.test(e.name))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  if (entries.length > MAX_ENVIRONMENT_FILES) {
    const message = `holds ${entries.length} environment files (allowed: at most ${MAX_ENVIRONMENT_FILES})`;
    return { files: [], problems: [{ file: dir, path: '', message }], unreadable: entries.map((e) => e.name) };
  }
  const result: EnvironmentDirectory = { files: [], problems: [], unreadable: [] };
  const buffer = Buffer.alloc(MAX_ENVIRONMENT_FILE_BYTES + 1);
  for (const entry of entries) {
    const kind = kindOf(entry);
    const read = kind ? { problem: notRegularFileProblem(entry.name, kind) } : readRegularFile(dir, entry.name, buffer);
    if ('file' in read) result.files.push(read.file);
    else {
      result.problems.push(read.problem);
      result.unreadable.push(entry.name);
    }
  }
  return result;
}

/** Reads and validates every environment file of `dir`: the problems of reading and of validating, all at once. */
export function validateEnvironmentDirectory(dir: string): { environments: ParsedEnvironment[]; problems: ConfigProblem[] } {
  const read = readEnvironmentDirectory(dir);
  const { environments, problems } = validateEnvironmentFiles(read.files, read.unreadable);
  return { environments, problems: [...read.problems, ...problems] };
}

/** The environment files of `dir`; throws ConfigError with every problem when one cannot be read. */
export function readEnvironmentFiles(dir: string): EnvironmentFile[] {
  const { files, problems } = readEnvironmentDirectory(dir);
  if (problems.length > 0) throw new ConfigError(problems);
  return files;
}

/** Loads and validates every environment of `dir`; throws ConfigError with all problems. */
export function loadEnvironments(dir: string = DEFAULT_ENV_DIR): Environment[] {
  const { environments, problems } = validateEnvironmentDirectory(dir);
  if (problems.length > 0) throw new ConfigError(problems);
  return environments.map((e) => e.environment);
}
