import { Writable } from 'node:stream';
import { maskedLogger } from './compose.js';
import { HeldSecrets } from './secrets/held.js';
import { SqliteStore } from './store/sqlite-store.js';

const SECRET = 'whsec-0123456789abcdef';

describe('maskedLogger', () => {
  test('GIVEN a held secret in a log message and in a field WHEN logged THEN the line holds neither', () => {
    const lines: string[] = [];
    const log = maskedLogger(
      'info',
      new HeldSecrets([SECRET]),
      new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) }),
    );
    log.info({ err: `request signed with ${SECRET}`, nested: { token: SECRET } }, `secret ${SECRET} seen`);
    log.error(`plain ${SECRET}`);
    const hooked = lines.join('');
    expect(hooked).not.toContain(SECRET);
    expect(hooked).toContain('request signed with ***');
    expect(hooked).toContain('"msg":"secret *** seen"');
    expect(hooked).toContain('"msg":"plain ***"');
  });
});

describe('the store masks what it keeps', () => {
  test('GIVEN a plan summary and a failure reason holding a secret WHEN saved THEN the store keeps them masked', async () => {
    const secrets = new HeldSecrets([SECRET]);
    const store = new SqliteStore(':memory:', { mask: (t) => secrets.mask(t) });
    const id = await store.savePlan({
      repo: 'acme/infra',
      pr: 7,
      environment: 'dev',
      headSha: 'a'.repeat(40),
      baseSha: 'b'.repeat(40),
      status: 'running',
    });
    await store.updatePlan(id, {
      status: 'failed',
      summaryJson: JSON.stringify({ warnings: [`saw ${SECRET}`] }),
      reason: `failed with ${SECRET}`,
    });
    const plan = await store.getPlan(id);
    expect(plan?.summaryJson).toBe('{"warnings":["saw ***"]}');
    expect(JSON.stringify(plan)).not.toContain(SECRET);
    await store.close();
  });
});
