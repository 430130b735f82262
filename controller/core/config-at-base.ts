// Reads the environment files and CODEOWNERS at a ref — the pull request's BASE, never its head,
// so a pull request cannot loosen the rules it is judged by. Bad configuration comes back as data
// (the app turns it into a failing check); only transport errors (GitHub down, 5xx) are thrown.
import { formatProblem, validateEnvironmentFiles, type ConfigProblem, type ParsedEnvironment } from '../../environments/config.js';
import { MAX_ENVIRONMENT_FILE_BYTES, MAX_ENVIRONMENT_FILES, tooLargeProblem } from '../../environments/file-limits.js';
import type { Environment } from '../../environments/schema.js';
import { ContentTypeError, type RepoGitHub } from './ports/github.js';

export const DEFAULT_ENVIRONMENTS_DIR = 'environments';

export type LoadedEnvironments =
  | { readonly ok: true; readonly environments: Environment[]; readonly files: ParsedEnvironment[] }
  | { readonly ok: false; readonly problems: ConfigProblem[]; /** Every problem, one per line, for a check run. */ readonly text: string };

function failed(problems: ConfigProblem[]): LoadedEnvironments {
  return { ok: false, problems, text: problems.map(formatProblem).join('\n') };
}

function dirProblem(dir: string): string | undefined {
  if (dir === '' || dir.startsWith('/') || dir.split('/').some((p) => p === '..' || p === '.' || p === '')) {
    return `must be a relative path inside the repository without "." or ".." parts (got ${JSON.stringify(dir)})`;
  }
  return undefined;
}

/** Loads and validates every `*.yaml`/`*.yml` file of `dir` at `ref` through the contents API. */
export async function loadEnvironmentsAt(
  client: Pick<RepoGitHub, 'listDirectory' | 'getFileText'>,
  ref: string,
  dir: string = DEFAULT_ENVIRONMENTS_DIR,
): Promise<LoadedEnvironments> {
  const bad = dirProblem(dir);
  if (bad) return failed([{ file: dir, path: '', message: `environments directory ${bad}` }]);
  let entries;
  try {
    entries = await client.listDirectory(ref, dir);
  } catch (e) {
    if (e instanceof ContentTypeError)
      return failed([{ file: dir, path: '', message: `is a ${e.actual} at ${ref}, not a directory of environment files` }]);
    throw e;
  }
  if (entries === undefined)
    return failed([{ file: dir, path: '', message: `does not exist at ${ref} (environment files are read from the base branch)` }]);

  const yaml = entries.filter((e) => /\.ya?ml$/.test(e.name)).sort((a, b) => a.name.localeCompare(b.name));
  const problems: ConfigProblem[] = yaml
    .filter((e) => e.type !== 'file')
    .map((e) => ({ file: e.path, path: '', message: `is a ${e.type}; environment files must be regular files` }));
  // the same size limit as on disk, applied from the listing so an oversized file is never fetched
  const oversized = yaml.filter((e) => e.type === 'file' && (e.size ?? 0) > MAX_ENVIRONMENT_FILE_BYTES);
  problems.push(...oversized.map((e) => tooLargeProblem(e.path, e.size ?? 0)));
  const regular = yaml.filter((e) => e.type === 'file' && !oversized.includes(e));
  if (regular.length > MAX_ENVIRONMENT_FILES) {
    return failed([
      { file: dir, path: '', message: `holds ${regular.length} environment files at ${ref} (at most ${MAX_ENVIRONMENT_FILES})` },
    ]);
  }
  const texts = await Promise.all(regular.map((e) => client.getFileText(ref, e.path)));
  const files = regular.flatMap((e, i) => {
    const text = texts[i];
    if (text === undefined) problems.push({ file: e.path, path: '', message: `disappeared while it was read at ${ref}` });
    return text === undefined ? [] : [{ file: e.path, text }];
  });
  const validated = validateEnvironmentFiles(files);
  problems.push(...validated.problems);
  if (problems.length > 0) return failed(problems);
  return { ok: true, environments: validated.environments.map((p) => p.environment), files: validated.environments };
}

/** Where GitHub looks for CODEOWNERS, in its order: the first file found is the one used. */
export const CODEOWNERS_LOCATIONS = ['.github/CODEOWNERS', 'CODEOWNERS', 'docs/CODEOWNERS'] as const;

/** The CODEOWNERS file GitHub would use at `ref`, or undefined when there is none. */
export async function loadCodeownersAt(
  client: Pick<RepoGitHub, 'getFileText'>,
  ref: string,
): Promise<{ path: string; text: string } | undefined> {
  for (const path of CODEOWNERS_LOCATIONS) {
    let text;
    try {
      text = await client.getFileText(ref, path);
    } catch (e) {
      if (e instanceof ContentTypeError) continue; // a directory named CODEOWNERS is not the file
      throw e;
    }
    if (text !== undefined) return { path, text };
  }
  return undefined;
}
