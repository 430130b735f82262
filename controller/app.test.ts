import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { pino } from 'pino';
import { createHmac } from 'node:crypto';
import { Probot, Server } from 'probot';
import gitopsApp from './app.js';
import { freePort } from '../test/fixtures/free-port.js';
import { SqliteStore } from './store/sqlite-store.js';

const privateKey = generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());

describe('gitopsApp (the default export, for probot run)', () => {
  test('GIVEN GITOPS_WORK_DIR and GITOPS_DB_PATH WHEN the app loads THEN its store is created there and handlers are registered', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gitops-app-'));
    const saved = { ...process.env };
    Object.assign(process.env, { GITOPS_WORK_DIR: join(dir, 'work'), GITOPS_DB_PATH: join(dir, 'state.db') });
    try {
      const probot = new Probot({ appId: 1, privateKey, log: pino({ level: 'silent' }) });
      await probot.load(gitopsApp);
      expect(existsSync(join(dir, 'work'))).toBe(true);
      expect(existsSync(join(dir, 'state.db'))).toBe(true);
      // A comment by an App is never a command: received, not claimed, nothing queued.
      const payload = {
        action: 'created',
        issue: { number: 1, state: 'open', pull_request: { url: 'x' } },
        comment: { id: 1, body: '/plan', user: { login: 'other[bot]', type: 'Bot' } },
        repository: { name: 'infra', owner: { login: 'acme' }, clone_url: 'https://github.com/acme/infra.git' },
      };
      await expect(probot.receive({ id: 'd-1', name: 'issue_comment', payload } as never)).resolves.toBeUndefined();
      // A comment event of an issue that is not a pull request is ignored, a pull request's /plan is claimed.
      await probot.receive({ id: 'd-2', name: 'issue_comment', payload: { ...payload, issue: { number: 1, state: 'open' } } } as never);
      const human = { ...payload, comment: { id: 2, body: '/plan', user: { login: 'carol', type: 'User' } } };
      await probot.receive({ id: 'd-3', name: 'issue_comment', payload: human } as never);
      const store = new SqliteStore(join(dir, 'state.db'));
      expect(await Promise.all(['d-1', 'd-2', 'd-3'].map((id) => store.claimDelivery(id, 'probe')))).toEqual([true, true, false]);
      await store.close();
    } finally {
      process.env = saved;
    }
  });

  test('GIVEN Probot’s own server (probot run) WHEN the app is loaded THEN it serves the status page, /metrics counting a signed delivery, and /healthz', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'gitops-app-'));
    const saved = { ...process.env };
    Object.assign(process.env, { GITOPS_WORK_DIR: join(dir, 'work'), GITOPS_DB_PATH: join(dir, 'state.db') });
    const port = await freePort();
    const server = new Server({
      Probot: Probot.defaults({ appId: 1, privateKey, secret: 'webhook-secret', log: pino({ level: 'silent' }) }),
      port,
      host: '127.0.0.1',
      log: pino({ level: 'silent' }),
    });
    nock.enableNetConnect('127.0.0.1');
    try {
      await server.load(gitopsApp);
      await server.start();
      const base = `http://127.0.0.1:${port}`;
      const body = JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 1 });
      const delivery = await fetch(`${base}/api/github/webhooks`, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-github-event': 'ping',
          'x-github-delivery': 'd-ping',
          'x-hub-signature-256': `sha256=${createHmac('sha256', 'webhook-secret').update(body).digest('hex')}`,
        },
        body,
      });
      expect(delivery.status).toBe(200);

      const page = await fetch(`${base}/`);
      expect([page.status, page.headers.get('content-security-policy')]).toEqual([200, expect.stringContaining("default-src 'none'")]);
      expect(await page.text()).toContain('<html');
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toMatch(/^gitops_webhooks_received_total\{event="ping"\} 1$/m);
      const health = await fetch(`${base}/healthz`);
      expect([health.status, await health.json()]).toEqual([200, expect.objectContaining({ ok: true, store: 'sqlite' })]);
      expect((await fetch(`${base}/nothing-here`)).status).toBe(404);
    } finally {
      await server.stop();
      nock.disableNetConnect();
      process.env = saved;
    }
  });
});
