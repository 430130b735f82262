import pg from 'pg';
import { CONTROLLER_TABLES as TABLES, useTestDatabase } from '../../test/fixtures/postgres.js';
import { PG_MIGRATIONS } from './postgres-migrations.js';
import { PostgresStore, redactUrl } from './postgres-store.js';
import { describeStoreContract } from './store-contract.js';

const database = useTestDatabase();

async function sql<R extends pg.QueryResultRow>(text: string, params: unknown[] = []): Promise<R[]> {
  const client = new pg.Client({ connectionString: database.url });
  await client.connect();
  try {
    return (await client.query<R>(text, params)).rows;
  } finally {
    await client.end();
  }
}

describe('PostgresStore schema', () => {
  beforeEach(() => database.reset());

  test('GIVEN an empty database WHEN five replicas open it at once THEN the migrations run once and every replica is at the latest version', async () => {
    const stores = await Promise.all(Array.from({ length: 5 }, (_, i) => PostgresStore.open(database.url, { controllerId: `r${i}` })));
    try {
      expect(stores.map((s) => s.schemaVersion)).toEqual(Array(5).fill(PG_MIGRATIONS.length));
      expect(await sql('SELECT version FROM gitops_schema ORDER BY version')).toEqual(PG_MIGRATIONS.map((_, i) => ({ version: i + 1 })));
      const tables = await sql<{ tablename: string }>("SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename");
      expect(tables.map((t) => t.tablename)).toEqual([...TABLES, 'gitops_schema'].sort());
      expect((await sql<{ id: string }>('SELECT id FROM replicas ORDER BY id')).map((r) => r.id)).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
    expect(await sql('SELECT id FROM replicas')).toEqual([]);
  });

  test('GIVEN data WHEN the store is opened again THEN no migration runs twice and the data is still there', async () => {
    const first = await PostgresStore.open(database.url);
    await first.claimDelivery('d-1', 'push');
    await first.close();
    const again = await PostgresStore.open(database.url);
    try {
      expect(await again.claimDelivery('d-1', 'push')).toBe(false);
      expect(await sql('SELECT count(*)::int AS n FROM gitops_schema')).toEqual([{ n: PG_MIGRATIONS.length }]);
    } finally {
      await again.close();
    }
  });

  test('GIVEN a database a newer controller migrated WHEN opened THEN it refuses, naming both versions and the database without its password', async () => {
    await (await PostgresStore.open(database.url)).close();
    await sql('INSERT INTO gitops_schema (version) VALUES ($1)', [PG_MIGRATIONS.length + 1]);
    const url = new URL(database.url);
    url.password = 'hunter2';
    const error = await PostgresStore.open(url.toString()).catch((e: Error) => e);
    // trust authentication lets the password through: the error is the schema's, and never shows it
    expect(String(error)).toContain(
      `schema version ${PG_MIGRATIONS.length + 1} is newer than this controller knows (${PG_MIGRATIONS.length}); upgrade the controller`,
    );
    expect(String(error)).not.toContain('hunter2');
  });

  test('GIVEN a server nobody listens on WHEN opened THEN it fails with the connection error', async () => {
    await expect(PostgresStore.open('postgres://postgres@127.0.0.1:1/gitops')).rejects.toThrow(/ECONNREFUSED/);
  });

  test.each([
    ['postgres://u:secret@db.example:5432/gitops', 'postgres://u:***@db.example:5432/gitops'],
    ['postgres://db.example/gitops', 'postgres://db.example/gitops'],
    ['not a url', 'the GITOPS_DATABASE_URL (not a URL)'],
  ])('GIVEN the URL %p WHEN shown THEN the password is left out', (url, shown) => {
    expect(redactUrl(url)).toBe(shown);
  });
});

describe('PostgresStore replicas', () => {
  test('GIVEN a replica killed mid-plan (its lease not renewed) WHEN another replica asks for abandoned work before and after the lease ran out THEN it gets the work only after, and only once', async () => {
    let clock = Date.parse('2025-06-01T12:00:00Z');
    const now = () => new Date(clock);
    await (await PostgresStore.open(database.url)).close();
    await sql('TRUNCATE ' + TABLES.join(', ') + ' RESTART IDENTITY');
    const killed = await PostgresStore.open(database.url, { controllerId: 'killed', now, replicaLeaseMs: 30_000 });
    const plan = await killed.savePlan({ repo: 'acme/infra', pr: 7, environment: 'dev', headSha: 'h', baseSha: 'b', status: 'running' });
    await killed.claimDelivery('d-1', 'pull_request.opened');
    await killed.enterLockQueue({ repo: 'acme/infra', environment: 'dev', holder: 'acme/infra#7', pr: 7, leaseMs: 600_000 });
    // killed: its work stays, and its lease row as the last renewal left it, never renewed again
    await killed.close();
    await sql("INSERT INTO replicas (id, started_at, lease_expires_at) VALUES ('killed', $1, $2)", [
      now().toISOString(),
      new Date(clock + 30_000).toISOString(),
    ]);
    const [a, b] = await Promise.all(
      ['a', 'b'].map((id) => PostgresStore.open(database.url, { controllerId: id, now, replicaLeaseMs: 30_000 })),
    );
    try {
      expect(await a.abandonedPlans()).toEqual([]);
      expect(await a.releaseAbandonedDeliveries()).toBe(0);
      expect(await a.abandonedLocks()).toEqual([]);
      clock += 31_000;
      await sql("UPDATE replicas SET lease_expires_at = $1 WHERE id IN ('a', 'b')", [new Date(clock + 30_000).toISOString()]);
      const [fromA, fromB] = await Promise.all([a.abandonedPlans(), b.abandonedPlans()]);
      expect([...fromA, ...fromB].map((p) => p.id)).toEqual([plan]);
      expect(await a.releaseAbandonedDeliveries()).toBe(1);
      expect((await b.abandonedLocks()).map((l) => l.owner)).toEqual(['killed']);
      // each registered itself once at start; the renewal timer (every 10 s) has not fired yet
      expect([a.leaseRenewals, b.leaseRenewals]).toEqual([
        { ok: 1, failed: 0, late: 0 },
        { ok: 1, failed: 0, late: 0 },
      ]);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe('PostgresStore lease renewals', () => {
  test('GIVEN a replica whose process stalled past its lease, then a database that refuses the renewal WHEN renewing THEN one renewal counts late and the refused ones failed', async () => {
    const store = await PostgresStore.open(database.url, { controllerId: 'stalling', replicaLeaseMs: 300 });
    try {
      const stallUntil = Date.now() + 700;
      while (Date.now() < stallUntil); // the event loop is blocked: no renewal can run
      await until(() => store.leaseRenewals.ok >= 4);
      // the renewal after the stall is late; those on time (every 100 ms) are not
      const { late, ok } = store.leaseRenewals;
      expect([late >= 1, late < ok - 1]).toEqual([true, true]);
      await sql('ALTER TABLE replicas RENAME TO replicas_away');
      try {
        await until(() => store.leaseRenewals.failed >= 1);
      } finally {
        await sql('ALTER TABLE replicas_away RENAME TO replicas');
      }
    } finally {
      await store.close();
    }
  });
});

async function until(ok: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !ok(); i++) await new Promise((r) => setTimeout(r, 10));
  expect(ok()).toBe(true);
}

describeStoreContract('PostgresStore', () => ({
  open: ({ controllerId, now }) => PostgresStore.open(database.url, { controllerId, now, poolSize: 4 }),
  reset: async () => void (await sql(`TRUNCATE ${TABLES.join(', ')} RESTART IDENTITY`).catch(() => undefined)),
}));
