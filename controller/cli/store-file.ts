// The controller's store as `gitops serve` finds it (GITOPS_DATABASE_URL when set, else GITOPS_DB_PATH,
// else <GITOPS_WORK_DIR>/gitops.sqlite), opened for the read-only commands. A missing SQLite file is not
// created: the command says where it looked. On PostgreSQL the command reads without joining the replicas.
import { existsSync } from 'node:fs';
import type { Store } from '../core/ports/store.js';
import { openStore } from '../store/open-store.js';
import { readRuntimeConfig } from '../webhooks/config.js';
import { UsageError } from './command.js';

/** Runs `read` on the controller's store; throws one line when there is none. */
export async function withStore<T>(read: (store: Store) => Promise<T>, env: NodeJS.ProcessEnv = process.env): Promise<T> {
  const config = readRuntimeConfig(env);
  if (!config.databaseUrl && !existsSync(config.dbPath))
    throw new UsageError(
      `no controller store at ${config.dbPath} (set GITOPS_WORK_DIR or GITOPS_DB_PATH to where gitops serve runs, or GITOPS_DATABASE_URL to its database)`,
    );
  const { store } = openStore(config, { controllerId: 'gitops-cli', replica: false });
  try {
    return await read(store);
  } finally {
    await store.close();
  }
}
