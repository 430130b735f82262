// The Probot app. `gitops serve` is the primary way to run it (controller/webhooks/server.ts);
// the default export also serves `probot run` (which needs it compiled to JavaScript), reading
// GITOPS_WORK_DIR, GITOPS_DB_PATH and GITOPS_CONCURRENCY from the environment.
import type { ApplicationFunction, Probot } from 'probot';
import { registerHandlers, type HandlerDeps } from './handlers/index.js';
import { readRuntimeConfig } from './webhooks/config.js';
import { createRuntime } from './webhooks/runtime.js';

/** The app over given collaborators (tests, the server, the bench). */
export function controllerApp(deps: HandlerDeps): ApplicationFunction {
  return (app: Probot) => registerHandlers(app, deps);
}

export default function gitopsApp(app: Probot): void {
  registerHandlers(app, createRuntime({ ...readRuntimeConfig(process.env), log: app.log }));
}
