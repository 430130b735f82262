// Parses and validates environment files from text, so the CLI (files on disk) and the
// controller (files read at a pull request's base through the contents API) share one path.
// Every problem is collected; nothing is thrown half-way.
import { z } from 'zod';
import { cidrBlock, overlaps } from '../modules/core/cidr.js';
import { MAX_PATH_LENGTH, cut, oneLine, quote } from './file-limits.js';
import { likeProductionProblems } from './like-production.js';
import { environmentSchema, type Environment } from './schema.js';
import { readYaml } from './yaml-read.js';

export interface ConfigProblem {
  /** File name as given (e.g. `prod.yaml`). */
  readonly file: string;
  /** Dotted path inside the file, empty for the whole file. */
  readonly path: string;
  /** 1-based line, when known. */
  readonly line?: number;
  readonly message: string;
}

/** `--env`/GITOPS_ENVS named an environment that has no file. */
export class UnknownEnvironmentError extends Error {
  constructor(unknown: readonly string[], known: readonly string[]) {
    super(`unknown environment ${unknown.map((e) => `"${e}"`).join(', ')} (allowed: ${known.join(', ')})`);
    this.name = 'UnknownEnvironmentError';
  }
}

export interface EnvironmentFile {
  readonly file: string;
  readonly text: string;
}

export interface ParsedEnvironment {
  readonly file: string;
  readonly environment: Environment;
}

/** Thrown at the edges (CLI, app) when the environment files are invalid; carries every problem. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly ConfigProblem[]) {
    super(problems.map(formatProblem).join('\n'));
    this.name = 'ConfigError';
  }
}

/** One line, however hostile the file name or value: controls escaped, cut at MAX_PROBLEM_LENGTH. */
export function formatProblem(p: ConfigProblem): string {
  const where = p.line !== undefined ? `${p.file}:${p.line}` : p.file;
  return oneLine(p.path ? `${where}: ${cut(p.path, MAX_PATH_LENGTH)}: ${p.message}` : `${where}: ${p.message}`);
}

/** Keys allowed where an object schema sits at `path`, for "unknown key" messages. */
function allowedKeys(path: readonly PropertyKey[]): string[] | undefined {
  let schema: z.ZodType = environmentSchema;
  for (const key of path) {
    schema = unwrap(schema);
    if (schema instanceof z.ZodObject) schema = (schema.shape as Record<string, z.ZodType>)[String(key)];
    else if (schema instanceof z.ZodArray) schema = schema.element as z.ZodType;
    else return undefined;
    if (!schema) return undefined;
  }
  schema = unwrap(schema);
  return schema instanceof z.ZodObject ? Object.keys(schema.shape) : undefined;
}

function unwrap(schema: z.ZodType): z.ZodType {
  let s: z.ZodType = schema;
  for (;;) {
    if (s instanceof z.ZodOptional || s instanceof z.ZodDefault || s instanceof z.ZodPrefault || s instanceof z.ZodNullable) {
      s = s.unwrap() as z.ZodType;
    } else if (s instanceof z.ZodPipe) {
      s = s.in as z.ZodType;
    } else return s;
  }
}

/** Unknown keys named in one problem; the rest are counted. */
const SHOWN_UNKNOWN_KEYS = 5;

function describeIssue(issue: z.core.$ZodIssue, received: unknown): string {
  if (issue.code === 'unrecognized_keys') {
    const allowed = allowedKeys(issue.path);
    const shown = issue.keys.slice(0, SHOWN_UNKNOWN_KEYS).map((k) => quote(k, 40));
    const more = issue.keys.length > SHOWN_UNKNOWN_KEYS ? ` and ${issue.keys.length - SHOWN_UNKNOWN_KEYS} more` : '';
    return `unknown key ${shown.join(', ')}${more}` + (allowed ? ` (allowed: ${allowed.join(', ')})` : '');
  }
  if (issue.code === 'invalid_key' && issue.issues.length > 0) {
    // A record's key is at fault, not its value: say what a key must be and show the key.
    return `${issue.issues[0].message} (got ${quote(String(issue.path.at(-1)))})`;
  }
  const got = received === undefined ? 'nothing' : quote(received);
  if (issue.code === 'invalid_value') {
    return `must be one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')} (got ${got})`;
  }
  if (issue.code === 'invalid_type' && received === undefined) return `is required (${issue.expected})`;
  if (issue.code === 'invalid_union' && issue.errors.length > 0) {
    // A union of literals (e.g. log retention) reads better as the list of allowed values.
    return `${issue.message} (got ${got})`;
  }
  return `${issue.message} (got ${got})`;
}

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = data;
  for (const k of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[k];
  }
  return v;
}

/** Parses one environment file. Returns the environment, or every problem found in it. */
export function parseEnvironmentFile(input: EnvironmentFile): { environment?: Environment; problems: ConfigProblem[] } {
  const { yaml, problems } = readYaml(input.file, input.text);
  if (!yaml) return { problems };
  const data = yaml.data;
  const result = environmentSchema.safeParse(data ?? undefined);
  if (result.success) return { environment: result.data, problems };
  for (const issue of result.error.issues) {
    problems.push({
      file: input.file,
      path: issue.path.map(String).join('.'),
      // An unknown key's line is the key's own, not its parent's.
      line: issue.code === 'unrecognized_keys' ? yaml.lineOf([...issue.path, issue.keys[0]], true) : yaml.lineOf(issue.path),
      message: describeIssue(issue, valueAt(data, issue.path)),
    });
  }
  return { problems };
}

/** True when two environment networks share an address (host bits in a CIDR are ignored). */
function networksOverlap(a: string, b: string): boolean {
  const [blockA, blockB] = [cidrBlock(a), cidrBlock(b)];
  return blockA !== undefined && blockB !== undefined && overlaps(blockA, blockB);
}

function fileStem(file: string): string {
  return file.replace(/^.*\//, '').replace(/\.ya?ml$/, '');
}

/** Rules that span files: unique names and branches, disjoint networks, a guarded production. */
export function crossFileProblems(parsed: readonly ParsedEnvironment[], otherNames: readonly string[] = []): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  const byName = new Map<string, ParsedEnvironment>();
  const byBranch = new Map<string, ParsedEnvironment>();
  // Files that failed on their own still name an environment (their stem): don't report them as unknown too.
  const names = new Set([...parsed.map((p) => p.environment.name), ...otherNames]);
  const sites: { file: string; path: string; cidr: string }[] = [];

  for (const p of parsed) {
    const env = p.environment;
    const stem = fileStem(p.file);
    if (stem !== env.name) {
      problems.push({ file: p.file, path: 'name', message: `must match the file name "${stem}" (got "${env.name}")` });
    }
    const sameName = byName.get(env.name);
    if (sameName)
      problems.push({ file: p.file, path: 'name', message: `"${env.name}" is already the name in ${sameName.file}; names must be unique` });
    else byName.set(env.name, p);
    const sameBranch = byBranch.get(env.branch);
    if (sameBranch)
      problems.push({
        file: p.file,
        path: 'branch',
        message: `"${env.branch}" is already the branch of ${sameBranch.file}; branches must be unique`,
      });
    else byBranch.set(env.branch, p);

    for (const [key, region] of Object.entries(env.regions)) {
      if (region) sites.push({ file: p.file, path: `regions.${key}.cidr`, cidr: region.cidr });
    }
    const known = [...names].join(', ');
    if (env.release.requires !== undefined && !names.has(env.release.requires)) {
      problems.push({
        file: p.file,
        path: 'release.requires',
        message: `unknown environment "${env.release.requires}" (allowed: ${known})`,
      });
    }
    env.release.rebase.forEach((r, i) => {
      if (!names.has(r))
        problems.push({ file: p.file, path: `release.rebase.${i}`, message: `unknown environment "${r}" (allowed: ${known})` });
    });
    if (env.tier === 'production') {
      if (env.release.requiredApprovals < 1) {
        problems.push({
          file: p.file,
          path: 'release.requiredApprovals',
          message: `a production environment needs at least 1 approval (got ${env.release.requiredApprovals})`,
        });
      }
      if (env.release.requires === undefined) {
        problems.push({
          file: p.file,
          path: 'release.requires',
          message: 'a production environment must name the environment deployed before it (e.g. uat)',
        });
      }
    }
    problems.push(...alarmProblems(p));
    if (env.systems.commerce && !env.accounts.azure) {
      problems.push({ file: p.file, path: 'accounts.azure', message: 'is required when the commerce system (Azure) is enabled' });
    }
    if (env.systems.commerce) {
      for (const [site, region] of Object.entries(env.regions)) {
        const needed = site === 'primary' || env.systems.commerce.dr;
        if (region && needed && !region.azure) {
          problems.push({
            file: p.file,
            path: `regions.${site}.azure`,
            message: 'is required when the commerce system (AWS and Azure) runs in this region (e.g. westeurope)',
          });
        }
      }
    }
    if (Object.values(env.systems).some((s) => s) && !env.accounts.aws) {
      problems.push({ file: p.file, path: 'accounts.aws', message: 'is required when an AWS system is enabled' });
    }
  }
  for (let i = 0; i < sites.length; i++) {
    for (let j = i + 1; j < sites.length; j++) {
      if (networksOverlap(sites[i].cidr, sites[j].cidr)) {
        problems.push({
          file: sites[j].file,
          path: sites[j].path,
          message: `${sites[j].cidr} overlaps ${sites[i].cidr} (${sites[i].file} ${sites[i].path}); networks must not overlap across environments`,
        });
      }
    }
  }
  return problems;
}

/**
 * A production environment's alarms must reach someone: each cloud it runs systems on needs a receiver
 * (AWS: e-mail, HTTPS or an existing SNS topic; Azure, where commerce runs: e-mail, HTTPS or an action group).
 */
function alarmProblems({ file, environment: env }: ParsedEnvironment): ConfigProblem[] {
  if (env.tier !== 'production') return [];
  const { email, https, snsTopic, actionGroupId } = env.alarms;
  const shared = Object.keys(email).length + Object.keys(https).length > 0;
  const clouds = [
    {
      cloud: 'AWS',
      runs: Object.values(env.systems).some((s) => s),
      reached: shared || snsTopic !== undefined,
      allowed: 'email, https, snsTopic',
    },
    {
      cloud: 'Azure',
      runs: env.systems.commerce !== undefined,
      reached: shared || actionGroupId !== undefined,
      allowed: 'email, https, actionGroupId',
    },
  ];
  return clouds
    .filter((c) => c.runs && !c.reached)
    .map((c) => ({
      file,
      path: 'alarms',
      message: `a production environment must say where its ${c.cloud} alarms go (allowed: ${c.allowed})`,
    }));
}

/**
 * Validates a set of environment files: each on its own, then across files. `unreadable` names files
 * that could not be read (their problems are reported by the reader): they still name an environment.
 */
export function validateEnvironmentFiles(
  files: readonly EnvironmentFile[],
  unreadable: readonly string[] = [],
): {
  environments: ParsedEnvironment[];
  problems: ConfigProblem[];
} {
  const problems: ConfigProblem[] = [];
  const environments: ParsedEnvironment[] = [];
  for (const f of files) {
    const r = parseEnvironmentFile(f);
    problems.push(...r.problems);
    if (r.environment) environments.push({ file: f.file, environment: r.environment });
  }
  if (files.length === 0 && unreadable.length === 0)
    problems.push({ file: '(environments)', path: '', message: 'no environment files (*.yaml) found' });
  const failed = [...files.filter((f) => !environments.some((e) => e.file === f.file)).map((f) => f.file), ...unreadable].map(fileStem);
  problems.push(...crossFileProblems(environments, failed), ...likeProductionProblems(environments));
  return { environments, problems };
}
