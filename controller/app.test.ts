import { generateKeyPairSync } from 'node:crypto';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import nock from 'nock';
import { pino } from 'pino';
import { Probot } from 'probot';
import gitopsApp from './app.js';
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
});
