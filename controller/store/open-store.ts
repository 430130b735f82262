// Which store the controller keeps its state in: the SQLite file by default (one controller process),
// or the PostgreSQL database of GITOPS_DATABASE_URL, which several controller replicas share.
import type { Store } from '../core/ports/store.js';
import type { SharedJobs } from '../core/ports/jobs.js';
import type { LeaseRenewals } from './postgres-replicas.js';
import type { RuntimeConfig } from '../webhooks/config.js';
import { PostgresStore } from './postgres-store.js';
import { SqliteStore } from './sqlite-store.js';

/** A store as the composition root holds it. */
export interface ControllerStore extends Store {
  /** The controller process (replica) the store speaks for. */
  readonly controllerId: string;
  /** Resolves when the store can be used; rejects with why not (the database unreachable, a schema too new). */
  readonly ready: Promise<void>;
  /** Resolves when the store answers now (GET /healthz). */
  ping(): Promise<void>;
  /** The replica's lease renewals; none for a store no other process shares (SQLite). */
  readonly leaseRenewals?: LeaseRenewals;
  /** The jobs the replicas share; none for a store no other process shares (SQLite: jobs stay in the process). */
  readonly jobs?: SharedJobs;
}

export interface OpenedStore {
  readonly store: ControllerStore;
  readonly kind: 'sqlite' | 'postgresql';
  /** The file, or the database URL without its password. */
  readonly where: string;
}

export interface OpenStoreOptions {
  readonly controllerId: string;
  /** Applied to every free text written. @default unchanged */
  readonly mask?: (text: string) => string;
  /** False for a reader (the CLI) that takes no part in the replicas' leases. @default true */
  readonly replica?: boolean;
}

/** Opens the store `config` names; a PostgreSQL store is returned at once and is `ready` once migrated. */
export function openStore(config: Pick<RuntimeConfig, 'dbPath' | 'databaseUrl' | 'replicaLeaseMs'>, opts: OpenStoreOptions): OpenedStore {
  if (config.databaseUrl) {
    const store = PostgresStore.connect(config.databaseUrl, {
      controllerId: opts.controllerId,
      ...(opts.mask ? { mask: opts.mask } : {}),
      ...(config.replicaLeaseMs !== undefined ? { replicaLeaseMs: config.replicaLeaseMs } : {}),
      ...(opts.replica !== undefined ? { replica: opts.replica } : {}),
    });
    return { store, kind: 'postgresql', where: store.where };
  }
  const store = new SqliteStore(config.dbPath, { controllerId: opts.controllerId, ...(opts.mask ? { mask: opts.mask } : {}) });
  return { store, kind: 'sqlite', where: config.dbPath };
}
