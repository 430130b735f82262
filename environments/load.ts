// Reads the environment files of a directory from disk.
import { readdirSync, readFileSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError, validateEnvironmentFiles, type EnvironmentFile } from './config.js';
import type { Environment } from './schema.js';

export const DEFAULT_ENV_DIR = 'environments';

export function readEnvironmentFiles(dir: string): EnvironmentFile[] {
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new ConfigError([{ file: dir, path: '', message: 'is not a directory of environment files (set --dir)' }]);
  }
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((file) => ({ file, text: readFileSync(join(dir, file), 'utf8') }));
}

/** Loads and validates every environment of `dir`; throws ConfigError with all problems. */
export function loadEnvironments(dir: string = DEFAULT_ENV_DIR): Environment[] {
  const { environments, problems } = validateEnvironmentFiles(readEnvironmentFiles(dir));
  if (problems.length > 0) throw new ConfigError(problems);
  return environments.map((e) => e.environment);
}
