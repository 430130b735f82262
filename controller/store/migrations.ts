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
  // 3: applies. Locks become a first-come-first-served queue per repository and environment, each
  // ticket with the controller process that took it and a lease; the one-row-per-environment locks
  // of version 2 carry over as held tickets of an unknown process whose lease has run out (a restart
  // takes them over). Runs say which controller process ran them and which apply they belong to.
  `CREATE TABLE lock_queue (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     repo TEXT NOT NULL,
     environment TEXT NOT NULL,
     holder TEXT NOT NULL,
     pr INTEGER,
     sha TEXT,
     owner TEXT NOT NULL,
     state TEXT NOT NULL CHECK (state IN ('held', 'waiting')),
     enqueued_at TEXT NOT NULL,
     acquired_at TEXT,
     lease_expires_at TEXT NOT NULL
   );
   CREATE UNIQUE INDEX lock_queue_one_holder ON lock_queue (repo, environment) WHERE state = 'held';
   CREATE INDEX lock_queue_by_env ON lock_queue (repo, environment, id);
   INSERT INTO lock_queue (repo, environment, holder, pr, sha, owner, state, enqueued_at, acquired_at, lease_expires_at)
     SELECT CASE WHEN instr(holder, '#') > 1 THEN substr(holder, 1, instr(holder, '#') - 1) ELSE '(unknown)' END,
            environment, holder, pr, NULL, '(before version 3)', 'held', acquired_at, acquired_at, acquired_at
     FROM locks;
   DROP TABLE locks;
   CREATE TABLE applies (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     repo TEXT NOT NULL,
     environment TEXT NOT NULL,
     sha TEXT NOT NULL,
     base_sha TEXT NOT NULL,
     pr INTEGER,
     status TEXT NOT NULL CHECK (status IN ('queued', 'running', 'succeeded', 'failed', 'differs', 'skipped')),
     installation_id INTEGER,
     clone_url TEXT,
     check_run_id INTEGER,
     deployment_id INTEGER,
     lock_id INTEGER,
     reason TEXT,
     started_by TEXT NOT NULL,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL
   );
   CREATE INDEX applies_by_env ON applies (repo, environment, id);
   CREATE INDEX applies_unfinished ON applies (id) WHERE status IN ('queued', 'running');
   ALTER TABLE runs ADD COLUMN apply_id INTEGER;
   ALTER TABLE runs ADD COLUMN started_by TEXT;
   CREATE INDEX runs_by_apply ON runs (apply_id) WHERE apply_id IS NOT NULL;`,
  // 4: back-sync's pushes, recorded before each is made, so that the push webhook it causes is known
  // as the controller's own; each is taken once, by the apply of that push.
  `CREATE TABLE sync_pushes (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     repo TEXT NOT NULL,
     branch TEXT NOT NULL,
     before_sha TEXT NOT NULL,
     after_sha TEXT NOT NULL,
     trunk TEXT NOT NULL,
     trunk_sha TEXT NOT NULL,
     recorded_at TEXT NOT NULL,
     taken_at TEXT
   );
   CREATE INDEX sync_pushes_by_push ON sync_pushes (repo, branch, before_sha, after_sha) WHERE taken_at IS NULL;`,
  // 5: who caused each apply (the push's sender, or the approver of `/apply`), for the status page.
  `ALTER TABLE applies ADD COLUMN actor TEXT;`,
];
