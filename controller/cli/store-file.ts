// The controller's store as `gitops serve` finds it (GITOPS_DB_PATH, else <GITOPS_WORK_DIR>/gitops.sqlite),
// opened for the read-only commands. A missing file is not created: the command says where it looked.
import { existsSync } from 'node:fs';
import { SqliteStore } from '../store/sqlite-store.js';
import { readRuntimeConfig } from '../webhooks/config.js';
import { UsageError } from './command.js';

/** Runs `read` on the store at the controller's path; throws one line when there is none. */
export async function withStore<T>(read: (store: SqliteStore) => Promise<T>, env: NodeJS.ProcessEnv = process.env): Promise<T> {
  const { dbPath } = readRuntimeConfig(env);
  if (!existsSync(dbPath))
    throw new UsageError(`no controller store at ${dbPath} (set GITOPS_WORK_DIR or GITOPS_DB_PATH to where gitops serve runs)`);
  const store = new SqliteStore(dbPath, { controllerId: 'gitops-cli' });
  try {
    return await read(store);
  } finally {
    await store.close();
  }
}
