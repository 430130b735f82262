// The connection pool of the PostgreSQL store, with the two ways its parts use it: one statement, or
// a transaction on one connection. Values come back as the SQLite store gives them (rows.ts): bigint
// as a number (ids and GitHub's ids stay far below 2^53) and timestamptz as an ISO string.
import pg from 'pg';

const INT8 = 20;
const TIMESTAMPTZ = 1184;

const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    if (oid === INT8) return (value: string) => Number(value);
    if (oid === TIMESTAMPTZ) return (value: string) => new Date(value).toISOString();
    return pg.types.getTypeParser(oid, format as 'text');
  },
} as pg.CustomTypesConfig;

export type Queryable = Pick<pg.ClientBase, 'query'>;

export class PgDb {
  readonly pool: pg.Pool;
  /** What every query waits for first: the schema brought up to date (see PostgresStore.connect). */
  private gate: Promise<void> = Promise.resolve();

  constructor(url: string, poolSize: number) {
    this.pool = new pg.Pool({ connectionString: url, max: poolSize, types, connectionTimeoutMillis: 10_000 });
    // an idle connection the server dropped: the pool replaces it; the next query says what went wrong
    this.pool.on('error', () => undefined);
  }

  /** Queries wait for `ready` first, and fail with its error when it fails. */
  waitFor(ready: Promise<void>): void {
    this.gate = ready;
  }

  async query<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<pg.QueryResult<R>> {
    await this.gate;
    return this.pool.query<R>(sql, params);
  }

  async rows<R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> {
    return (await this.query<R>(sql, params)).rows;
  }

  /** Runs `work` in one transaction (committed when it resolves, rolled back when it throws). */
  async tx<T>(work: (client: Queryable) => Promise<T>): Promise<T> {
    await this.gate;
    return inTransaction(this.pool, work);
  }

  async end(): Promise<void> {
    await this.pool.end();
  }
}

/** The transaction-scoped advisory lock of one environment's lock queue (two int4 keys: the namespace and the hash). */
export const LOCK_QUEUE_NAMESPACE = 7_361_029;

/**
 * Runs `work` in one transaction on a connection of its own (committed when it resolves, rolled back when it
 * throws). A connection the server drops mid-transaction fails the query in progress (thrown) and also emits
 * 'error' on the client, which the pool listens for only while the client is idle: that one is caught here,
 * and the broken client is closed rather than handed to the next caller.
 */
export async function inTransaction<T>(pool: pg.Pool, work: (client: Queryable) => Promise<T>): Promise<T> {
  const client = await pool.connect();
  let broken: Error | undefined;
  const onError = (e: Error) => void (broken = e);
  client.on('error', onError);
  try {
    await client.query('BEGIN');
    const result = await work(client);
    await client.query('COMMIT');
    return result;
  } catch (e) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw e;
  } finally {
    client.off('error', onError);
    client.release(broken);
  }
}
