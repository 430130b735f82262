// The status page as the server serves it: read from the store and the environment files, then rendered.
import { DEFAULT_ENV_DIR, loadEnvironments } from '../../environments/load.js';
import { renderStatusPage } from './render.js';
import { readStatus, type StatusSources } from './view.js';

/** The page's HTML on each call; the environments come from `envDir` (relative to the working directory). */
export function statusPage(store: StatusSources['store'], envDir: string = DEFAULT_ENV_DIR): () => Promise<string> {
  return async () => renderStatusPage(await readStatus({ store, environments: () => loadEnvironments(envDir) }));
}
