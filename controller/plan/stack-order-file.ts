// Reads the order of an environment's stacks from a synth output: the app records, for each stack, the stacks
// it comes after as cdktf stack dependencies in `<outDir>/manifest.json`. The output was written by a pull
// request's code, so the file is checked before it is read (a regular file, not a link, within a size limit)
// and its content validated; the order is recomputed here, never taken on trust.
import { lstat, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { stackWaves, subGraph, type StackGraph, type StackWaves } from '../rules/stack-order.js';
import { STACK_NAME } from './synth.js';

/** The manifest of this repository's 25 stacks is 11 KB; 8 MiB holds thousands of stacks with many dependencies each. */
export const STACK_ORDER_FILE_MAX_BYTES = 8 * 1024 * 1024;

export const MANIFEST_FILE = 'manifest.json';

/** The order of some stacks of one environment. */
export interface StackOrder {
  /** First wave first; a stack comes after every stack it depends on; the stacks of a wave are independent. */
  readonly waves: StackWaves;
  /** Each stack of the order → those of the order it comes after (directly or through stacks left out): for skippedStacks. */
  readonly dependencies: StackGraph;
}

/** The manifest is missing, too large, malformed, or its dependencies cannot be ordered. */
export class StackOrderFileError extends Error {
  constructor(
    readonly file: string,
    readonly problem: string,
    /** The synth wrote no manifest at all (a synth other than cdktf's), rather than a bad one. */
    readonly missing = false,
  ) {
    super(`${file}: ${problem}`);
    this.name = 'StackOrderFileError';
  }
}

const stackName = z.string().regex(STACK_NAME, 'must be a stack name (letters, digits, . _ -)');
const manifestSchema = z.object({
  stacks: z.record(stackName, z.object({ dependencies: z.array(stackName).max(10_000) })),
});

/** The first problem zod found, as `path: message`. */
function firstIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  const path = issue.path.map(String).join('.');
  // a record key's own problem is nested under zod's generic "Invalid key in record"
  const message = (issue.code === 'invalid_key' && issue.issues[0]?.message) || issue.message;
  return path === '' ? message : `${path}: ${message}`;
}

/**
 * The order of `stacks` (default: every stack of the manifest) as recorded in `<outDir>/manifest.json`. The
 * order among them keeps what stacks left out imposed (a → b → c read for a and c: c first). Throws
 * StackOrderFileError when the file is not a regular file of at most `maxBytes`, not a manifest, names a
 * dependency it does not list, has a cycle, or lacks one of `stacks`.
 */
export async function readStackOrder(
  outDir: string,
  stacks?: readonly string[],
  maxBytes: number = STACK_ORDER_FILE_MAX_BYTES,
): Promise<StackOrder> {
  const file = join(outDir, MANIFEST_FILE);
  const stat = await lstat(file).catch(() => undefined);
  if (stat === undefined) throw new StackOrderFileError(file, 'does not exist: the synth wrote no manifest', true);
  if (!stat.isFile()) throw new StackOrderFileError(file, 'is not a regular file (a link or a directory is refused)');
  if (stat.size > maxBytes) throw new StackOrderFileError(file, `is ${stat.size} bytes, over the limit of ${maxBytes}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(await readFile(file, 'utf8'));
  } catch (e) {
    throw new StackOrderFileError(file, `is not JSON: ${(e as Error).message}`);
  }
  const manifest = manifestSchema.safeParse(parsed);
  if (!manifest.success) throw new StackOrderFileError(file, `is not a stack manifest: ${firstIssue(manifest.error)}`);
  const graph: Record<string, readonly string[]> = Object.fromEntries(
    Object.entries(manifest.data.stacks).map(([name, s]) => [name, s.dependencies]),
  );
  const missing = (stacks ?? []).filter((s) => !Object.hasOwn(graph, s));
  if (missing.length > 0) throw new StackOrderFileError(file, `does not list the stacks ${missing.join(', ')}`);
  try {
    stackWaves(graph);
  } catch (e) {
    throw new StackOrderFileError(file, (e as Error).message);
  }
  const dependencies = stacks === undefined ? graph : subGraph(graph, stacks);
  return { waves: stackWaves(dependencies), dependencies };
}
