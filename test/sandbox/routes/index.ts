// Every REST operation the sandbox serves, keyed by GitHub's operationId.
import type { RouteHandler } from '../context.js';
import { actionRoutes } from './actions.js';
import { appRoutes } from './app.js';
import { checkRoutes } from './checks.js';
import { deploymentRoutes } from './deployments.js';
import { gitRoutes } from './git.js';
import { issueRoutes } from './issues.js';
import { pullRoutes } from './pulls.js';
import { repoRoutes } from './repos.js';

export { JWT_OPERATIONS } from './app.js';

export const ROUTES: Readonly<Record<string, RouteHandler>> = {
  ...appRoutes,
  ...repoRoutes,
  ...gitRoutes,
  ...pullRoutes,
  ...issueRoutes,
  ...checkRoutes,
  ...deploymentRoutes,
  ...actionRoutes,
};
