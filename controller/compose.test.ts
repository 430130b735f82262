import { generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { pino } from 'pino';
import { startTestDatabase } from '../test/fixtures/postgres.js';
import type { ControllerCore } from './core/controller.js';
import { serveController } from './compose.js';
import { HeldSecrets } from './secrets/held.js';
import { SqliteStore } from './store/sqlite-store.js';

const SECRET = 'whsec-0123456789abcdef';

describe('the store masks what it keeps', () => {
  test('GIVEN a plan summary and a failure reason holding a secret WHEN saved THEN the store keeps them masked', async () => {
    const secrets = new HeldSecrets([SECRET]);
    const store = new SqliteStore(':memory:', { mask: (t) => secrets.mask(t) });
    const id = await store.savePlan({
      repo: 'acme/infra',
      pr: 7,
      environment: 'dev',
      headSha: 'a'.repeat(40),
      baseSha: 'b'.repeat(40),
      status: 'running',
    });
    await store.updatePlan(id, {
      status: 'failed',
      summaryJson: JSON.stringify({ warnings: [`saw ${SECRET}`] }),
      reason: `failed with ${SECRET}`,
    });
    const plan = await store.getPlan(id);
    expect(plan?.summaryJson).toBe('{"warnings":["saw ***"]}');
    expect(JSON.stringify(plan)).not.toContain(SECRET);
    await store.close();
  });
});

describe('serveController on PostgreSQL', () => {
  const privateKey = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const idle = { pullRequestChanged: async () => undefined } as unknown as ControllerCore;
  const config = (workDir: string, databaseUrl: string) => ({
    appId: 1,
    privateKey,
    webhookSecret: SECRET,
    port: 0,
    host: '127.0.0.1',
    logLevel: 'silent' as const,
    baseUrl: 'http://127.0.0.1:9/api/v3',
    workDir,
    dbPath: join(workDir, 'unused.sqlite'),
    databaseUrl,
    concurrency: 1,
  });

  test('GIVEN GITOPS_DATABASE_URL WHEN served THEN the log says PostgreSQL and /healthz is ok; WHEN the database goes away THEN /healthz answers 503 saying why', async () => {
    const database = await startTestDatabase();
    const workDir = mkdtempSync(join(tmpdir(), 'gitops-serve-pg-'));
    let logged = '';
    const log = pino({ level: 'info' }, new Writable({ write: (chunk: Buffer, _e, done) => void ((logged += chunk.toString()), done()) }));
    const server = await serveController({ config: config(workDir, database.url), log, core: idle });
    try {
      expect(logged).toContain(`"store":"postgresql"`);
      expect(logged).toContain(`state kept in PostgreSQL at ${database.url}`);
      const ok = await fetch(`${server.url}/healthz`);
      expect([ok.status, await ok.json()]).toEqual([200, { ok: true, jobs: 0, store: 'postgresql' }]);
      await database.stop();
      const down = await fetch(`${server.url}/healthz`);
      expect(down.status).toBe(503);
      expect(await down.json()).toMatchObject({ ok: false, store: 'postgresql', error: expect.stringMatching(/^store unreachable: /) });
    } finally {
      await server.close();
      await database.stop();
      rmSync(workDir, { recursive: true, force: true });
    }
  }, 120_000);

  test('GIVEN a database nobody answers at WHEN served THEN serve fails with the connection error and listens to nothing', async () => {
    const workDir = mkdtempSync(join(tmpdir(), 'gitops-serve-pg-'));
    try {
      await expect(
        serveController({ config: config(workDir, 'postgres://postgres@127.0.0.1:1/gitops'), log: pino({ level: 'silent' }), core: idle }),
      ).rejects.toThrow(/ECONNREFUSED/);
    } finally {
      rmSync(workDir, { recursive: true, force: true });
    }
  });
});
