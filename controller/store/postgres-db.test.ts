import pg from 'pg';
import { useTestDatabase } from '../../test/fixtures/postgres.js';
import { PgDb } from './postgres-db.js';

const database = useTestDatabase();

describe('PgDb', () => {
  test('GIVEN a transaction in progress WHEN the server ends its connection THEN the transaction fails with the reason, no error escapes unhandled, and the next transaction gets a working connection', async () => {
    const db = new PgDb(database.url, 2);
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    try {
      const failed = db.tx(async (client) => {
        const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
        await admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
        await new Promise((r) => setTimeout(r, 200)); // the client sees its socket close while checked out
        await client.query('SELECT 1');
      });

      await expect(failed).rejects.toThrow(/connection/i);
      expect(await db.tx(async (client) => (await client.query<{ n: number }>('SELECT 2 AS n')).rows)).toEqual([{ n: 2 }]);
    } finally {
      await admin.end();
      await db.end();
    }
  });
});
