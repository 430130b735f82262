// The App's own endpoints (JWT-authenticated): who am I, installations, installation tokens.
import type { RouteHandler } from '../context.js';
import { json, notFound, validationFailed } from '../http.js';
import { APP_PERMISSIONS, appJson, installationJson } from '../representations.js';
import { isoSeconds } from '../git.js';

const getAuthenticated: RouteHandler = async (ctx) => json(200, appJson(ctx.site));

const listInstallations: RouteHandler = async (ctx) => json(200, [installationJson(ctx.site)]);

const getInstallation: RouteHandler = async (ctx, req) => {
  if (Number(req.params.installation_id) !== ctx.site.installationId) throw notFound(`installation ${req.params.installation_id}`);
  return json(200, installationJson(ctx.site));
};

const getRepoInstallation: RouteHandler = async (ctx) => json(200, installationJson(ctx.site));

const createInstallationToken: RouteHandler = async (ctx, req) => {
  if (Number(req.params.installation_id) !== ctx.site.installationId) throw notFound(`installation ${req.params.installation_id}`);
  const names: string[] | undefined = req.body?.repositories;
  if (names && !names.every((name) => name === ctx.site.repo)) {
    throw validationFailed('Installation', 'repositories', `the installation only covers ${ctx.site.repo}, asked for ${names.join(', ')}`);
  }
  const grant = ctx.authority.issue('installation', ctx.botLogin, ctx.site.installationId);
  return json(201, {
    token: grant.token,
    expires_at: isoSeconds(grant.expiresAt),
    permissions: req.body?.permissions ?? { ...APP_PERMISSIONS },
    repository_selection: 'selected',
    repositories: [ctx.repoJson()],
  });
};

export const appRoutes: Record<string, RouteHandler> = {
  'apps/get-authenticated': getAuthenticated,
  'apps/list-installations': listInstallations,
  'apps/get-installation': getInstallation,
  'apps/get-repo-installation': getRepoInstallation,
  'apps/create-installation-access-token': createInstallationToken,
};

/** Operations GitHub authenticates with the App JWT instead of an installation token. */
export const JWT_OPERATIONS = new Set(Object.keys(appRoutes));
