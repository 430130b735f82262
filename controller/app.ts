// The Probot app for `probot run` (which needs it compiled to JavaScript): the controller composed
// from GITOPS_WORK_DIR, GITOPS_DB_PATH and GITOPS_CONCURRENCY. `gitops serve` composes the same
// parts through serveController (controller/compose.ts). Under Probot's server the status page,
// /metrics and /healthz are added with its addHandler; Probot's own webhook middleware receives the
// deliveries, so the metrics count those it verified (refusals are Probot's and are not counted).
import type { ApplicationFunctionOptions, Probot } from 'probot';
import { composeController, storeHealth } from './compose.js';
import { HeldSecrets } from './secrets/held.js';
import { statusPage } from './status/page.js';
import { readRuntimeConfig } from './webhooks/config.js';
import { operatorRoutes } from './webhooks/operator-routes.js';

export default function gitopsApp(app: Probot, options?: Partial<ApplicationFunctionOptions>): void {
  const secrets = new HeldSecrets([process.env.WEBHOOK_SECRET, process.env.PRIVATE_KEY]);
  const runtime = composeController({ ...readRuntimeConfig(process.env), log: app.log, secrets });
  void runtime.app(app);
  app.onAny((event) => runtime.metrics.webhooksReceived.inc({ event: event.name }));
  const routes = operatorRoutes({ statusPage: statusPage(runtime.store), metrics: runtime.metrics, health: () => storeHealth(runtime) });
  try {
    options?.addHandler?.(routes);
  } catch (e) {
    // Probot.load without a server (a test, a serverless adapter) has nowhere to serve them.
    app.log.debug({ err: e }, 'no server to add the status page, /metrics and /healthz to');
  }
}
