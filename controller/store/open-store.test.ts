import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { startTestDatabase, type TestDatabase } from '../../test/fixtures/postgres.js';
import { openStore } from './open-store.js';

let database: TestDatabase;
let dir: string;
beforeAll(async () => {
  database = await startTestDatabase();
}, 120_000);
afterAll(() => database?.stop());
beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'gitops-open-store-'))));
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('openStore', () => {
  test('GIVEN no database URL WHEN opened THEN the SQLite file is used, ready at once', async () => {
    const dbPath = join(dir, 'gitops.sqlite');
    const { store, kind, where } = openStore({ dbPath }, { controllerId: 'c1' });
    try {
      expect([kind, where, store.controllerId]).toEqual(['sqlite', dbPath, 'c1']);
      await store.ready;
      await expect(store.ping()).resolves.toBeUndefined();
      expect(await store.claimDelivery('d-1', 'push')).toBe(true);
    } finally {
      await store.close();
    }
  });

  test('GIVEN a database URL WHEN opened as a replica and as a reader THEN both use PostgreSQL, only the replica joins the replicas, and the password is never shown', async () => {
    const url = new URL(database.url);
    url.password = 'pw-never-shown';
    const replica = openStore({ dbPath: join(dir, 'unused.sqlite'), databaseUrl: url.toString() }, { controllerId: 'replica-1' });
    const reader = openStore({ dbPath: join(dir, 'unused.sqlite'), databaseUrl: url.toString() }, { controllerId: 'cli', replica: false });
    try {
      expect(replica.kind).toBe('postgresql');
      expect(replica.where).toBe(database.url.replace('postgres@', 'postgres:***@'));
      await Promise.all([replica.store.ready, reader.store.ready]);
      await replica.store.ping();
      expect(await replica.store.claimDelivery('d-1', 'push')).toBe(true);
      expect(await reader.store.claimDelivery('d-1', 'push')).toBe(false);
      const client = new pg.Client({ connectionString: database.url });
      await client.connect();
      const { rows } = await client.query('SELECT id FROM replicas ORDER BY id');
      await client.end();
      expect(rows).toEqual([{ id: 'replica-1' }]);
    } finally {
      await Promise.all([replica.store.close(), reader.store.close()]);
    }
  });

  test('GIVEN a database nobody answers at WHEN opened THEN it is returned at once, and ready, ping and every call fail with the connection error', async () => {
    const { store, kind } = openStore(
      { dbPath: join(dir, 'unused.sqlite'), databaseUrl: 'postgres://postgres@127.0.0.1:1/gitops' },
      { controllerId: 'c' },
    );
    try {
      expect(kind).toBe('postgresql');
      await expect(store.ready).rejects.toThrow(/ECONNREFUSED/);
      await expect(store.ping()).rejects.toThrow(/ECONNREFUSED/);
      await expect(store.claimDelivery('d', 'push')).rejects.toThrow(/ECONNREFUSED/);
    } finally {
      await store.close();
    }
  });
});
