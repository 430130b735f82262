// The PostgreSQL store's schema, as versions applied in order; `gitops_schema` holds the versions
// that have run. Append a version, never edit one: databases in the field are at every earlier version.
// Every replica runs `migrate` when it opens the store; a transaction-scoped advisory lock makes the
// first one run the missing versions while the others wait, then find nothing left to do.
import type pg from 'pg';
import { inTransaction } from './postgres-db.js';

/** The advisory lock key the migrations run under (any fixed number, the same in every replica). */
export const MIGRATION_LOCK_KEY = 7_361_029_114;

export const PG_MIGRATIONS: readonly string[] = [
  // 1: the SQLite schema as of its version 3 (deliveries, plans, runs, lock queues, applies, replies),
  // times as timestamptz and GitHub's ids as bigint, plus the replicas that share the database.
  `CREATE TABLE deliveries (
     id text PRIMARY KEY,
     event text NOT NULL,
     received_at timestamptz NOT NULL,
     status text NOT NULL CHECK (status IN ('claimed', 'done')),
     claimed_by text
   );
   CREATE INDEX deliveries_received_at ON deliveries (received_at);
   CREATE INDEX deliveries_claimed ON deliveries (claimed_by) WHERE status = 'claimed';
   CREATE TABLE plans (
     id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     repo text NOT NULL,
     pr bigint NOT NULL,
     environment text NOT NULL,
     head_sha text NOT NULL,
     base_sha text NOT NULL,
     status text NOT NULL CHECK (status IN ('pending', 'running', 'planned', 'unavailable', 'failed', 'superseded')),
     summary_json text,
     installation_id bigint,
     head_ref text,
     base_ref text,
     clone_url text,
     author text,
     plan_check_id bigint,
     policy_check_id bigint,
     reason text,
     started_by text,
     created_at timestamptz NOT NULL,
     updated_at timestamptz NOT NULL
   );
   CREATE INDEX plans_by_pr ON plans (repo, pr, environment, id);
   CREATE INDEX plans_by_head ON plans (repo, pr, environment, head_sha, id);
   CREATE INDEX plans_unfinished ON plans (id) WHERE status IN ('pending', 'running');
   CREATE TABLE runs (
     id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     repo text NOT NULL,
     kind text NOT NULL CHECK (kind IN ('plan', 'apply')),
     environment text NOT NULL,
     stack text NOT NULL,
     sha text NOT NULL,
     status text NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled', 'timed_out', 'unavailable')),
     started_at timestamptz NOT NULL,
     finished_at timestamptz,
     log_tail text,
     apply_id bigint,
     started_by text
   );
   CREATE INDEX runs_by_env ON runs (repo, environment, id);
   CREATE INDEX runs_by_apply ON runs (apply_id) WHERE apply_id IS NOT NULL;
   CREATE TABLE lock_queue (
     id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     repo text NOT NULL,
     environment text NOT NULL,
     holder text NOT NULL,
     pr bigint,
     sha text,
     owner text NOT NULL,
     state text NOT NULL CHECK (state IN ('held', 'waiting')),
     enqueued_at timestamptz NOT NULL,
     acquired_at timestamptz,
     lease_expires_at timestamptz NOT NULL
   );
   CREATE UNIQUE INDEX lock_queue_one_holder ON lock_queue (repo, environment) WHERE state = 'held';
   CREATE INDEX lock_queue_by_env ON lock_queue (repo, environment, id);
   CREATE TABLE applies (
     id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     repo text NOT NULL,
     environment text NOT NULL,
     sha text NOT NULL,
     base_sha text NOT NULL,
     pr bigint,
     status text NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'differs', 'skipped')),
     installation_id bigint,
     clone_url text,
     check_run_id bigint,
     deployment_id bigint,
     lock_id bigint,
     reason text,
     started_by text NOT NULL,
     created_at timestamptz NOT NULL,
     updated_at timestamptz NOT NULL
   );
   CREATE INDEX applies_by_env ON applies (repo, environment, id);
   CREATE INDEX applies_unfinished ON applies (id) WHERE status IN ('queued', 'running');
   CREATE TABLE replies (
     repo text NOT NULL,
     pr bigint NOT NULL,
     user_login text NOT NULL,
     kind text NOT NULL,
     replied_at timestamptz NOT NULL,
     PRIMARY KEY (repo, pr, user_login, kind)
   );
   CREATE INDEX replies_replied_at ON replies (replied_at);
   CREATE TABLE replicas (
     id text PRIMARY KEY,
     started_at timestamptz NOT NULL,
     lease_expires_at timestamptz NOT NULL
   );`,
  // 2: back-sync's pushes, each taken once by the apply of the push webhook it caused
  `CREATE TABLE sync_pushes (
     id bigserial PRIMARY KEY,
     repo text NOT NULL,
     branch text NOT NULL,
     before_sha text NOT NULL,
     after_sha text NOT NULL,
     trunk text NOT NULL,
     trunk_sha text NOT NULL,
     recorded_at timestamptz NOT NULL,
     taken_at timestamptz
   );
   CREATE INDEX sync_pushes_open ON sync_pushes (repo, branch, before_sha, after_sha) WHERE taken_at IS NULL;`,
  // 3: who caused each apply (the push's sender, or the approver of `/apply`), for the status page.
  `ALTER TABLE applies ADD COLUMN actor text;`,
  // 4: jobs shared by the replicas: accepted by one, run by whichever claims it first (one key at a time)
  `CREATE TABLE jobs (
     id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
     key text NOT NULL,
     label text NOT NULL,
     supersede_group text,
     superseded_by text,
     order_json text NOT NULL,
     installation_id bigint NOT NULL,
     delivery text,
     state text NOT NULL CHECK (state IN ('pending', 'running')),
     accepted_by text NOT NULL,
     claimed_by text,
     created_at timestamptz NOT NULL,
     claimed_at timestamptz
   );
   CREATE INDEX jobs_by_key ON jobs (key, id);`,
];

/** Brings the database's schema up to date; returns the version it is at. Refuses a database a newer controller migrated. */
export async function migrate(pool: pg.Pool, where: string): Promise<number> {
  return inTransaction(pool, async (client) => {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK_KEY]);
    await client.query(
      'CREATE TABLE IF NOT EXISTS gitops_schema (version integer PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())',
    );
    const { rows } = await client.query<{ version: number | null }>('SELECT max(version) AS version FROM gitops_schema');
    const version = rows[0]?.version ?? 0;
    if (version > PG_MIGRATIONS.length) {
      throw new Error(
        `${where}: schema version ${version} is newer than this controller knows (${PG_MIGRATIONS.length}); upgrade the controller`,
      );
    }
    for (let v = version; v < PG_MIGRATIONS.length; v++) {
      await client.query(PG_MIGRATIONS[v]);
      await client.query('INSERT INTO gitops_schema (version) VALUES ($1)', [v + 1]);
    }
    return PG_MIGRATIONS.length;
  });
}
