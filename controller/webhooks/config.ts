// `gitops serve` configuration, from Probot's environment variables plus GITOPS_*. Every variable
// is checked up front so a bad deployment fails at start with one line naming the variable,
// never at the first webhook. Secret values are never echoed.
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const LOG_LEVELS = ['trace', 'debug', 'info', 'warn', 'error', 'fatal', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Where terraform runs: `local`, the controller's own runner; `actions`, plan-apply.yml runs it dispatches. */
export const RUNNER_MODES = ['local', 'actions'] as const;
export type RunnerMode = (typeof RUNNER_MODES)[number];

/** What the controller itself needs, under `gitops serve` and `probot run` alike. */
export interface RuntimeConfig {
  /** Absolute GITOPS_WORK_DIR: clones, work trees, plans, the SQLite file. */
  readonly workDir: string;
  /** GITOPS_DB_PATH, else <workDir>/gitops.sqlite. */
  readonly dbPath: string;
  /** Jobs running at once (GITOPS_CONCURRENCY). */
  readonly concurrency: number;
  /** Where terraform runs (GITOPS_RUNNER). @default local */
  readonly runner?: RunnerMode;
  /** REST API root: https://api.github.com, or <GHE_PROTOCOL>://<GHE_HOST>/api/v3. @default https://api.github.com */
  readonly baseUrl?: string;
  /** GITOPS_DATABASE_URL: a PostgreSQL database that replicas share, used instead of the SQLite file. @default unset */
  readonly databaseUrl?: string;
  /** GITOPS_REPLICA_LEASE_MS: how long a replica counts as alive without renewing its lease (PostgreSQL only). @default 30000 */
  readonly replicaLeaseMs?: number;
}

export interface ServeConfig extends RuntimeConfig {
  readonly appId: number;
  /** PEM text of the App's private key. */
  readonly privateKey: string;
  readonly webhookSecret: string;
  readonly port: number;
  readonly host: string;
  readonly logLevel: LogLevel;
  readonly baseUrl: string;
}

/** A missing or malformed variable; the message is one line that names it. */
export class ServeConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ServeConfigError';
  }
}

export const DEFAULT_PORT = 3000;
export const DEFAULT_HOST = 'localhost';
export const DEFAULT_WORK_DIR = '.gitops';
export const DEFAULT_CONCURRENCY = 2;

const show = (v: string) => JSON.stringify(v.length > 60 ? `${v.slice(0, 60)}…` : v);

function required(env: NodeJS.ProcessEnv, name: string, what: string): string {
  const v = env[name];
  if (v === undefined || v.trim() === '') throw new ServeConfigError(`${name} is not set (${what})`);
  return v.trim();
}

function wholeNumber(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return fallback;
  const n = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || n < min || n > max) {
    throw new ServeConfigError(`${name} must be a whole number from ${min} to ${max} (got ${show(raw)})`);
  }
  return n;
}

const PEM = /-----BEGIN ([A-Z ]*)PRIVATE KEY-----[\s\S]+-----END \1PRIVATE KEY-----/;

/** PRIVATE_KEY (PEM, PEM with literal \n, or base64 of PEM) or the file at PRIVATE_KEY_PATH. */
export function readPrivateKey(env: NodeJS.ProcessEnv, cwd: string = process.cwd()): string {
  const inline = env.PRIVATE_KEY;
  if (inline?.trim()) {
    let text = inline.replace(/\\n/g, '\n');
    if (!text.includes('-----BEGIN')) text = Buffer.from(inline.trim(), 'base64').toString('utf8');
    if (!PEM.test(text)) throw new ServeConfigError('PRIVATE_KEY is not a PEM private key (nor base64 of one); value not shown');
    return text;
  }
  const path = env.PRIVATE_KEY_PATH?.trim();
  if (path) {
    const file = resolve(cwd, path);
    if (!existsSync(file)) throw new ServeConfigError(`PRIVATE_KEY_PATH ${show(path)} does not exist`);
    const text = readFileSync(file, 'utf8');
    if (!PEM.test(text)) throw new ServeConfigError(`PRIVATE_KEY_PATH ${show(path)} is not a PEM private key file`);
    return text;
  }
  throw new ServeConfigError("PRIVATE_KEY or PRIVATE_KEY_PATH is not set (the GitHub App's private key, PEM)");
}

function readBaseUrl(env: NodeJS.ProcessEnv): string {
  const host = env.GHE_HOST?.trim();
  const protocol = (env.GHE_PROTOCOL?.trim() || 'https').toLowerCase();
  if (!['http', 'https'].includes(protocol)) {
    throw new ServeConfigError(`GHE_PROTOCOL must be one of https, http (got ${show(env.GHE_PROTOCOL ?? '')})`);
  }
  if (!host) return 'https://api.github.com';
  if (!/^[A-Za-z0-9.-]+(:\d{1,5})?$/.test(host)) {
    throw new ServeConfigError(`GHE_HOST must be a host name with an optional :port, no scheme or path (got ${show(host)})`);
  }
  return `${protocol}://${host}/api/v3`;
}

export function readRuntimeConfig(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): RuntimeConfig {
  const workDir = resolve(cwd, env.GITOPS_WORK_DIR?.trim() || DEFAULT_WORK_DIR);
  return {
    workDir,
    dbPath: env.GITOPS_DB_PATH?.trim() ? resolve(cwd, env.GITOPS_DB_PATH.trim()) : join(workDir, 'gitops.sqlite'),
    concurrency: wholeNumber(env, 'GITOPS_CONCURRENCY', DEFAULT_CONCURRENCY, 1, 64),
    runner: readRunner(env),
    baseUrl: readBaseUrl(env),
    ...readDatabase(env),
  };
}

function readRunner(env: NodeJS.ProcessEnv): RunnerMode {
  const raw = env.GITOPS_RUNNER?.trim() || 'local';
  if (!(RUNNER_MODES as readonly string[]).includes(raw)) {
    throw new ServeConfigError(`GITOPS_RUNNER must be one of ${RUNNER_MODES.join(', ')} (got ${show(env.GITOPS_RUNNER ?? '')})`);
  }
  return raw as RunnerMode;
}

/** GITOPS_DATABASE_URL (checked for its scheme only; the URL is never echoed: it may hold a password) and the replica lease. */
function readDatabase(env: NodeJS.ProcessEnv): Pick<RuntimeConfig, 'databaseUrl' | 'replicaLeaseMs'> {
  const url = env.GITOPS_DATABASE_URL?.trim();
  const lease = env.GITOPS_REPLICA_LEASE_MS?.trim()
    ? { replicaLeaseMs: wholeNumber(env, 'GITOPS_REPLICA_LEASE_MS', 0, 1000, 3_600_000) }
    : {};
  if (!url) return lease;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(url)?.[1]?.toLowerCase();
  if (scheme !== 'postgres' && scheme !== 'postgresql') {
    throw new ServeConfigError(
      `GITOPS_DATABASE_URL must be a postgres:// or postgresql:// URL (got ${scheme ? `a ${scheme}:// URL` : 'something that is not a URL'}); unset it to use the SQLite file`,
    );
  }
  return { databaseUrl: url, ...lease };
}

export function readServeConfig(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): ServeConfig {
  const appIdText = required(env, 'APP_ID', 'the numeric id of the GitHub App');
  if (!/^[1-9]\d*$/.test(appIdText)) throw new ServeConfigError(`APP_ID must be a positive whole number (got ${show(appIdText)})`);
  const webhookSecret = required(env, 'WEBHOOK_SECRET', "the GitHub App's webhook secret; unsigned webhooks are refused");
  const privateKey = readPrivateKey(env, cwd);
  const logLevel = (env.LOG_LEVEL?.trim() || 'info') as LogLevel;
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ServeConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')} (got ${show(env.LOG_LEVEL ?? '')})`);
  }
  return {
    ...readRuntimeConfig(env, cwd),
    appId: Number(appIdText),
    privateKey,
    webhookSecret,
    port: wholeNumber(env, 'PORT', DEFAULT_PORT, 0, 65535),
    host: env.HOST?.trim() || DEFAULT_HOST,
    logLevel,
    baseUrl: readBaseUrl(env),
  };
}
