// The SQLite store's schema, as versions applied in order; `PRAGMA user_version` is how many have
// run. Append a version, never edit one: files in the field are at every earlier version.
export const MIGRATIONS: readonly string[] = [
  `CREATE TABLE deliveries (
     id TEXT PRIMARY KEY,
     event TEXT NOT NULL,
     received_at TEXT NOT NULL
   );
   CREATE INDEX deliveries_received_at ON deliveries (received_at);
   CREATE TABLE plans (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     repo TEXT NOT NULL,
     pr INTEGER NOT NULL,
     environment TEXT NOT NULL,
     head_sha TEXT NOT NULL,
     base_sha TEXT NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('pending', 'running', 'planned', 'unavailable', 'failed', 'superseded')),
     summary_json TEXT,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
   CREATE INDEX plans_by_pr ON plans (repo, pr, environment, id);
   CREATE TABLE runs (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     repo TEXT NOT NULL,
     kind TEXT NOT NULL CHECK (kind IN ('plan', 'apply')),
     environment TEXT NOT NULL,
     stack TEXT NOT NULL,
     sha TEXT NOT NULL,
     status TEXT NOT NULL CHECK (status IN ('running', 'succeeded', 'failed', 'cancelled', 'timed_out', 'unavailable')),
     started_at TEXT NOT NULL,
     finished_at TEXT,
     log_tail TEXT
   );
   CREATE INDEX runs_by_env ON runs (repo, environment, id);
   CREATE TABLE locks (
     environment TEXT PRIMARY KEY,
     holder TEXT NOT NULL,
     pr INTEGER,
     acquired_at TEXT NOT NULL
   );`,
  // 2: crash recovery and reply limits. Deliveries are claimed, then done when their job ends (the
  // ones already stored were handled: done); plans keep what a restarted controller needs to complete
  // their checks and plan again, and which controller process started them; one row per limited reply.
  `ALTER TABLE deliveries ADD COLUMN status TEXT NOT NULL DEFAULT 'done' CHECK (status IN ('claimed', 'done'));
   ALTER TABLE deliveries ADD COLUMN claimed_by TEXT;
   CREATE INDEX deliveries_claimed ON deliveries (claimed_by) WHERE status = 'claimed';
   ALTER TABLE plans ADD COLUMN installation_id INTEGER;
   ALTER TABLE plans ADD COLUMN head_ref TEXT;
   ALTER TABLE plans ADD COLUMN base_ref TEXT;
   ALTER TABLE plans ADD COLUMN clone_url TEXT;
   ALTER TABLE plans ADD COLUMN author TEXT;
   ALTER TABLE plans ADD COLUMN plan_check_id INTEGER;
   ALTER TABLE plans ADD COLUMN policy_check_id INTEGER;
   ALTER TABLE plans ADD COLUMN reason TEXT;
   ALTER TABLE plans ADD COLUMN started_by TEXT;
   CREATE INDEX plans_unfinished ON plans (id) WHERE status IN ('pending', 'running');
   CREATE INDEX plans_by_head ON plans (repo, pr, environment, head_sha, id);
   CREATE TABLE replies (
     repo TEXT NOT NULL,
     pr INTEGER NOT NULL,
     user_login TEXT NOT NULL,
     kind TEXT NOT NULL,
     replied_at TEXT NOT NULL,
     PRIMARY KEY (repo, pr, user_login, kind)
   );
   CREATE INDEX replies_replied_at ON replies (replied_at);`,
];
