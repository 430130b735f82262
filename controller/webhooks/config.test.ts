import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { readRuntimeConfig, readServeConfig, ServeConfigError } from './config.js';

const pem = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
const base = { APP_ID: '42', WEBHOOK_SECRET: 's3cret', PRIVATE_KEY: pem };
const cwd = mkdtempSync(join(tmpdir(), 'gitops-config-'));

function errorOf(env: NodeJS.ProcessEnv): string {
  try {
    readServeConfig(env, cwd);
  } catch (e) {
    expect(e).toBeInstanceOf(ServeConfigError);
    return (e as Error).message;
  }
  throw new Error('expected a ServeConfigError');
}

describe('readServeConfig', () => {
  test('GIVEN only the required variables WHEN read THEN Probot defaults and GITOPS_WORK_DIR defaults apply', () => {
    const c = readServeConfig(base, cwd);
    expect(c).toMatchObject({
      appId: 42,
      webhookSecret: 's3cret',
      port: 3000,
      host: 'localhost',
      logLevel: 'info',
      baseUrl: 'https://api.github.com',
      workDir: join(cwd, '.gitops'),
      dbPath: join(cwd, '.gitops', 'gitops.sqlite'),
      concurrency: 2,
      runner: 'local',
    });
    expect(c.privateKey).toBe(pem);
  });

  test('GIVEN GHE_HOST with GHE_PROTOCOL=http and the GITOPS_* overrides WHEN read THEN they are honoured', () => {
    const c = readServeConfig(
      {
        ...base,
        GHE_HOST: '127.0.0.1:8080',
        GHE_PROTOCOL: 'http',
        PORT: '0',
        HOST: '127.0.0.1',
        LOG_LEVEL: 'silent',
        GITOPS_WORK_DIR: 'w',
        GITOPS_DB_PATH: '/tmp/x.db',
        GITOPS_CONCURRENCY: '4',
        GITOPS_RUNNER: 'actions',
      },
      cwd,
    );
    expect(c).toMatchObject({
      baseUrl: 'http://127.0.0.1:8080/api/v3',
      port: 0,
      host: '127.0.0.1',
      logLevel: 'silent',
      workDir: join(cwd, 'w'),
      dbPath: '/tmp/x.db',
      concurrency: 4,
      runner: 'actions',
    });
  });

  test('GIVEN the key as one line with literal \\n, as base64, or as a file WHEN read THEN each gives the PEM', () => {
    expect(readServeConfig({ ...base, PRIVATE_KEY: pem.replace(/\n/g, '\\n') }, cwd).privateKey).toBe(pem);
    expect(readServeConfig({ ...base, PRIVATE_KEY: Buffer.from(pem).toString('base64') }, cwd).privateKey).toBe(pem);
    writeFileSync(join(cwd, 'app.pem'), pem);
    expect(readServeConfig({ ...base, PRIVATE_KEY: undefined, PRIVATE_KEY_PATH: 'app.pem' }, cwd).privateKey).toBe(pem);
  });

  test.each([
    [{ APP_ID: undefined }, 'APP_ID is not set (the numeric id of the GitHub App)'],
    [{ APP_ID: 'abc' }, 'APP_ID must be a positive whole number (got "abc")'],
    [{ WEBHOOK_SECRET: ' ' }, 'WEBHOOK_SECRET is not set'],
    [{ PRIVATE_KEY: undefined }, 'PRIVATE_KEY or PRIVATE_KEY_PATH is not set'],
    [{ PRIVATE_KEY: undefined, PRIVATE_KEY_PATH: 'missing.pem' }, 'PRIVATE_KEY_PATH "missing.pem" does not exist'],
    [{ PORT: '70000' }, 'PORT must be a whole number from 0 to 65535 (got "70000")'],
    [{ PORT: '80x' }, 'PORT must be a whole number from 0 to 65535 (got "80x")'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of trace, debug, info, warn, error, fatal, silent (got "loud")'],
    [{ GHE_PROTOCOL: 'ftp' }, 'GHE_PROTOCOL must be one of https, http (got "ftp")'],
    [
      { GHE_HOST: 'https://ghe.example.com' },
      'GHE_HOST must be a host name with an optional :port, no scheme or path (got "https://ghe.example.com")',
    ],
    [{ GITOPS_CONCURRENCY: '0' }, 'GITOPS_CONCURRENCY must be a whole number from 1 to 64 (got "0")'],
    [{ GITOPS_RUNNER: 'github' }, 'GITOPS_RUNNER must be one of local, actions (got "github")'],
    [{ GITOPS_RUNNER: 'Actions' }, 'GITOPS_RUNNER must be one of local, actions (got "Actions")'],
  ] as [NodeJS.ProcessEnv, string][])('GIVEN %p WHEN read THEN one line names the variable', (override, message) => {
    expect(errorOf({ ...base, ...override })).toContain(message);
  });

  test('GIVEN only GITOPS_RUNNER=actions and GHE_HOST WHEN the runtime config is read (probot run) THEN it has the runner and the REST root', () => {
    expect(readRuntimeConfig({ GITOPS_RUNNER: 'actions', GHE_HOST: 'ghe.example.com' }, cwd)).toMatchObject({
      runner: 'actions',
      baseUrl: 'https://ghe.example.com/api/v3',
    });
    expect(() => readRuntimeConfig({ GITOPS_RUNNER: 'remote' }, cwd)).toThrow(
      new ServeConfigError('GITOPS_RUNNER must be one of local, actions (got "remote")'),
    );
  });

  test('GIVEN a PRIVATE_KEY that is not a key WHEN read THEN the error names the variable and does not echo the value', () => {
    const message = errorOf({ ...base, PRIVATE_KEY: 'hunter2-not-a-key' });
    expect(message).toBe('PRIVATE_KEY is not a PEM private key (nor base64 of one); value not shown');
    expect(message).not.toContain('hunter2');
  });

  test('GIVEN GITOPS_DATABASE_URL and GITOPS_REPLICA_LEASE_MS WHEN read THEN the PostgreSQL store is chosen with that lease; unset, the SQLite file is', () => {
    const url = 'postgresql://gitops:pw@db.internal:5432/gitops';
    expect(readServeConfig({ ...base, GITOPS_DATABASE_URL: ` ${url} `, GITOPS_REPLICA_LEASE_MS: '5000' }, cwd)).toMatchObject({
      databaseUrl: url,
      replicaLeaseMs: 5000,
    });
    const sqlite = readServeConfig({ ...base, GITOPS_DATABASE_URL: ' ' }, cwd);
    expect('databaseUrl' in sqlite || 'replicaLeaseMs' in sqlite).toBe(false);
  });

  test.each([
    [
      'mysql://root:hunter2@db/gitops',
      'GITOPS_DATABASE_URL must be a postgres:// or postgresql:// URL (got a mysql:// URL); unset it to use the SQLite file',
    ],
    [
      'hunter2',
      'GITOPS_DATABASE_URL must be a postgres:// or postgresql:// URL (got something that is not a URL); unset it to use the SQLite file',
    ],
  ])('GIVEN GITOPS_DATABASE_URL=%p WHEN read THEN the error names the variable and never echoes the value', (value, message) => {
    const error = errorOf({ ...base, GITOPS_DATABASE_URL: value });
    expect(error).toBe(message);
    expect(error).not.toContain('hunter2');
  });

  test('GIVEN a replica lease under a second WHEN read THEN the error names the variable and the range', () => {
    expect(errorOf({ ...base, GITOPS_REPLICA_LEASE_MS: '10' })).toBe(
      'GITOPS_REPLICA_LEASE_MS must be a whole number from 1000 to 3600000 (got "10")',
    );
  });
});
