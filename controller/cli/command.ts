// The shape of one `gitops` subcommand. Each lives in its own file and is listed in index.ts.
import type { ParseArgsConfig } from 'node:util';

export interface Io {
  out(line: string): void;
  err(line: string): void;
}

export interface CommandArgs {
  readonly values: Record<string, string | boolean | string[] | boolean[] | undefined>;
  readonly positionals: string[];
}

export interface Command {
  readonly name: string;
  /** One line for `gitops --help`. */
  readonly summary: string;
  /** Usage text for `gitops <name> --help`, without the first line. */
  readonly usage: string;
  readonly options: NonNullable<ParseArgsConfig['options']>;
  /** Returns the process exit code. Throw UsageError for bad flags (exit 2). */
  run(args: CommandArgs, io: Io): Promise<number>;
}

/** A bad invocation: printed as one line, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

export function stringFlag(args: CommandArgs, name: string): string | undefined {
  const v = args.values[name];
  if (v === undefined) return undefined;
  if (typeof v !== 'string' || v.trim() === '') throw new UsageError(`--${name} needs a value`);
  return v;
}

export function requiredFlag(args: CommandArgs, name: string, what: string): string {
  const v = stringFlag(args, name);
  if (v === undefined) throw new UsageError(`--${name} is required (${what})`);
  return v;
}
