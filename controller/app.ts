// The Probot app for `probot run` (which needs it compiled to JavaScript): the controller composed
// from GITOPS_WORK_DIR, GITOPS_DB_PATH and GITOPS_CONCURRENCY. `gitops serve` composes the same
// parts through serveController (controller/compose.ts).
import type { Probot } from 'probot';
import { composeController } from './compose.js';
import { HeldSecrets } from './secrets/held.js';
import { readRuntimeConfig } from './webhooks/config.js';

export default function gitopsApp(app: Probot): void {
  const secrets = new HeldSecrets([process.env.WEBHOOK_SECRET, process.env.PRIVATE_KEY]);
  void composeController({ ...readRuntimeConfig(process.env), log: app.log, secrets }).app(app);
}
