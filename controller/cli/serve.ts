import { serveController } from '../compose.js';
import { readServeConfig, ServeConfigError } from '../webhooks/config.js';
import { DotEnvError, loadDotEnv } from '../webhooks/dotenv.js';
import { WEBHOOK_PATH } from '../webhooks/server.js';
import { UsageError, type Command } from './command.js';

/** Resolves on the first SIGINT or SIGTERM. */
function shutdownSignal(): Promise<string> {
  return new Promise((resolve) => {
    const on = (signal: string) => {
      process.off('SIGINT', on);
      process.off('SIGTERM', on);
      resolve(signal);
    };
    process.on('SIGINT', on);
    process.on('SIGTERM', on);
  });
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'run the release controller (the GitHub App) as an HTTP server',
  usage: `Webhooks are received at ${WEBHOOK_PATH}; GET /ping and GET /healthz answer for probes.
Configuration (environment, as for probot run; a .env file in the working directory sets the
variables the environment does not, and none is needed):
  APP_ID               the GitHub App's id (required)
  PRIVATE_KEY          the App's private key, PEM or base64 of it (or PRIVATE_KEY_PATH, a file)
  WEBHOOK_SECRET       the App's webhook secret (required; unsigned webhooks are refused)
  PORT, HOST           where to listen (default 3000, localhost; PORT=0 picks a free port)
  LOG_LEVEL            trace, debug, info, warn, error, fatal or silent (default info)
  GHE_HOST             GitHub Enterprise Server host[:port]; GHE_PROTOCOL http or https (default https)
  GITOPS_WORK_DIR      clones, work trees, plans and the SQLite file (default .gitops)
  GITOPS_DB_PATH       the SQLite file (default <GITOPS_WORK_DIR>/gitops.sqlite)
  GITOPS_CONCURRENCY   jobs running at once (default 2)
  GITOPS_RUNNER        where terraform runs: local (default) or actions (plan-apply.yml runs it dispatches)
WEBHOOK_PROXY_URL (a smee.io channel) is read by probot run only; gitops serve says so and ignores it.`,
  options: {},
  async run(_args, io) {
    let config;
    try {
      loadDotEnv(process.env);
      config = readServeConfig(process.env);
    } catch (e) {
      if (e instanceof ServeConfigError || e instanceof DotEnvError) throw new UsageError(e.message);
      throw e;
    }
    if (process.env.WEBHOOK_PROXY_URL?.trim()) {
      io.err('gitops serve: WEBHOOK_PROXY_URL is ignored (only probot run proxies webhooks from smee.io); GitHub must reach this server');
    }
    const server = await serveController({ config });
    io.out(`gitops controller listening on ${server.webhookUrl} (API ${config.baseUrl})`);
    const signal = await shutdownSignal();
    io.out(`${signal}: finishing running jobs and stopping`);
    await server.close();
    return 0;
  },
};
