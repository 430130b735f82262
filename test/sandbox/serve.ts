// Runs a sandbox on its own (for `npm run demo` or poking at it by hand):
//   npx tsx test/sandbox/serve.ts [--port 3100] [--from-dir .] [--webhook-url http://127.0.0.1:3000/api/github/webhooks]
// Prints the Probot environment to reach it; the private key goes to a 0600 file, never to the terminal.
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { startSandbox } from './sandbox.js';

const { values } = parseArgs({
  options: {
    port: { type: 'string', default: '0' },
    'from-dir': { type: 'string' },
    'webhook-url': { type: 'string' },
    'webhook-secret': { type: 'string', default: 'sandbox-webhook-secret' },
    'app-id': { type: 'string', default: '1' },
    owner: { type: 'string', default: 'acme' },
    repo: { type: 'string', default: 'infra' },
  },
});

const appId = Number(values['app-id']);
if (!Number.isInteger(appId) || appId < 1) throw new Error(`--app-id must be a positive integer, got ${JSON.stringify(values['app-id'])}`);
const sandbox = await startSandbox({
  port: Number(values.port),
  fromDir: values['from-dir'],
  webhookUrl: values['webhook-url'],
  webhookSecret: values['webhook-secret'] as string,
  appId,
  owner: values.owner as string,
  repo: values.repo as string,
});
const keyFile = join(tmpdir(), `gitops-sandbox-${process.pid}.pem`);
await writeFile(keyFile, sandbox.privateKey, { mode: 0o600 });
process.stdout.write(
  [
    `sandbox up: ${sandbox.url} (clone ${sandbox.cloneUrl})`,
    `GHE_HOST=${sandbox.gheHost} GHE_PROTOCOL=http APP_ID=${appId} PRIVATE_KEY_PATH=${keyFile} WEBHOOK_SECRET=<--webhook-secret>`,
    '',
  ].join('\n'),
);
const stop = async () => {
  await sandbox.close();
  await rm(keyFile, { force: true });
  process.exit(0);
};
process.on('SIGINT', () => void stop());
process.on('SIGTERM', () => void stop());
