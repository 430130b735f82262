// Finds the file a command name runs, the way execvp would, so that "not found" is one clear message
// before anything is spawned (behind a wrapper such as setpriv it would only be an exit code 127).
import { accessSync, constants, statSync } from 'node:fs';
import { delimiter, isAbsolute, join, resolve } from 'node:path';

function isExecutableFile(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/** The absolute path of `command` (a name looked up on `path`, or a path relative to `cwd`); undefined when there is none. */
export function findExecutable(command: string, path: string | undefined, cwd: string = process.cwd()): string | undefined {
  if (command === '') return undefined;
  if (command.includes('/')) {
    const file = isAbsolute(command) ? command : resolve(cwd, command);
    return isExecutableFile(file) ? file : undefined;
  }
  for (const dir of (path ?? '').split(delimiter)) {
    if (dir === '') continue;
    const file = join(resolve(cwd, dir), command);
    if (isExecutableFile(file)) return file;
  }
  return undefined;
}
