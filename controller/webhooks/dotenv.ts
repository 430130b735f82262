// `.env` in the working directory, read as `probot run` reads it (Node's util.parseEnv, the same
// syntax), so one file configures both ways of running the controller. Unlike `probot run`, a variable
// already in the environment is never replaced: the operator's environment wins over a file on disk.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseEnv } from 'node:util';

/** `.env` exists but cannot be read (a directory, no permission); the message names the file. */
export class DotEnvError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DotEnvError';
  }
}

/**
 * Sets in `env` each variable of `<cwd>/.env` that `env` does not have yet; returns the names it set.
 * No `.env` file sets nothing.
 */
export function loadDotEnv(env: NodeJS.ProcessEnv, cwd: string = process.cwd()): string[] {
  const file = join(cwd, '.env');
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return [];
    throw new DotEnvError(`${file} could not be read (${code ?? (e as Error).message})`);
  }
  const set: string[] = [];
  for (const [name, value] of Object.entries(parseEnv(text))) {
    if (env[name] !== undefined || value === undefined) continue;
    env[name] = value;
    set.push(name);
  }
  return set;
}
