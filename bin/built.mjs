// The JavaScript build of the controller (`npm run build` → dist/), when it is there and no newer
// than the sources it was built from: `gitops serve` then runs it instead of the TypeScript through
// tsx. A source edited after the build (or a build never made) falls back to the sources, so a
// forgotten rebuild never runs old code. Checking ~400 files' mtimes takes a few milliseconds.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

const SOURCE_DIRS = ['controller', 'environments', 'modules'];

/** The newest mtime of a .ts or .json file under dir (0 when there is none or dir is missing). */
function newestSource(dir) {
  let newest = 0;
  let entries;
  try {
    entries = readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  for (const entry of entries) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestSource(path));
    else if (/\.(ts|json)$/.test(entry.name) && !entry.name.endsWith('.test.ts')) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

/** dist/controller/cli.js under root when it exists and is at least as new as every source; else undefined. */
export function builtCli(root) {
  const cli = join(root, 'dist', 'controller', 'cli.js');
  let built;
  try {
    built = statSync(cli).mtimeMs;
  } catch {
    return undefined;
  }
  return SOURCE_DIRS.every((dir) => newestSource(join(root, dir)) <= built) ? cli : undefined;
}
