import { jest } from '@jest/globals';
import { parseCommand } from '../rules/commands.js';
import { SqliteStore } from '../store/sqlite-store.js';
import { REFUSAL_REPLY_WINDOW_MS, runCommand, type CommandDeps, type CommentInput } from './comment-commands.js';
import { FakeGitHub, sessionOf } from '../../test/doubles/fake-github.js';

const input = (body: string, sender = 'carol', senderType = 'User'): CommentInput => ({
  owner: 'acme',
  repo: 'infra',
  pr: 7,
  cloneUrl: 'https://github.example/acme/infra.git',
  command: parseCommand(body),
  sender,
  senderType,
});
const noUnlock: CommandDeps = {
  plan: async () => {},
  unlock: async () => {
    throw new Error('unlock must not be called');
  },
};

function repo() {
  const gh = new FakeGitHub();
  gh.permissions.set('carol', 'write');
  gh.permissions.set('bob', 'read');
  return gh;
}

describe('runCommand', () => {
  test('GIVEN /plan from a read-only user WHEN run THEN one reply says write permission is needed and nothing else happens', async () => {
    const gh = repo();
    const outcome = await runCommand(sessionOf(gh), input('/plan', 'bob'), noUnlock);
    expect(outcome).toEqual({ action: 'refused', permission: 'read', replied: true });
    expect(gh.writes).toEqual(['createComment #7']);
    expect(gh.comments[0].body).toBe('@bob `/plan` needs write permission on acme/infra; you have read. Nothing was done.');
  });

  test('GIVEN /plan from a writer WHEN run THEN one re-plan is queued and nothing is written', async () => {
    const gh = repo();
    const plan = jest.fn<CommandDeps['plan']>(async () => {});
    expect(await runCommand(sessionOf(gh), input('/plan'), { ...noUnlock, plan })).toEqual({ action: 'plan' });
    expect(plan).toHaveBeenCalledTimes(1);
    expect(plan.mock.calls[0][1]).toMatchObject({ pr: 7, sender: 'carol' });
    expect(gh.writes).toEqual([]);
  });

  test('GIVEN an unknown command from a writer WHEN run THEN the reply names it and lists the commands', async () => {
    const gh = repo();
    expect(await runCommand(sessionOf(gh), input('/deploy now'), noUnlock)).toEqual({ action: 'replied', command: 'unknown' });
    const body = gh.comments[0].body;
    expect(body).toContain('`/deploy` is not a command (allowed: /plan, /apply, /unlock, /help)');
    expect(body).toContain('| `/plan` |');
    expect(body).toContain('| `/unlock [env]` |');
  });

  test('GIVEN /help from a writer WHEN run THEN the reply lists the commands', async () => {
    const gh = repo();
    await runCommand(sessionOf(gh), input('/help'), noUnlock);
    expect(gh.comments[0].body).toContain('| `/help` | show this list |');
  });

  test('GIVEN a known command with bad arguments WHEN run THEN the reply names the problem and nothing runs', async () => {
    const gh = repo();
    await runCommand(sessionOf(gh), input('/unlock PROD!'), noUnlock);
    expect(gh.comments[0].body).toContain('is not an environment name');
  });

  test.each([
    ['a bot', input('/plan', 'gitops[bot]', 'Bot')],
    ['an ordinary comment', input('looks good to me')],
    ['a quoted command', input('> /plan')],
  ])('GIVEN %s WHEN run THEN it is ignored without even a permission lookup', async (_what, comment) => {
    const gh = repo();
    const getPermission = jest.spyOn(gh, 'getPermission');
    expect(await runCommand(sessionOf(gh), comment, noUnlock)).toEqual({ action: 'ignored' });
    expect(getPermission).not.toHaveBeenCalled();
    expect(gh.writes).toEqual([]);
  });

  const ticket = {
    id: 3,
    repo: 'acme/infra',
    environment: 'dev',
    holder: 'acme/infra#41',
    pr: 41,
    sha: null,
    owner: 'ctl',
    state: 'held' as const,
    enqueuedAt: '2025-06-01T12:00:00.000Z',
    acquiredAt: '2025-06-01T12:00:00.000Z',
    leaseExpiresAt: '2025-06-01T12:05:00.000Z',
  };
  test.each([
    [{ environment: 'dev', released: ticket }, '@carol released the <code>dev</code> lock held by <code>acme/infra#41</code>.'],
    [{ environment: 'uat' }, '@carol nothing holds the <code>uat</code> lock; nothing to release.'],
    [
      { environment: 'prod', refused: true },
      '@carol `/unlock` needs an approver of <code>prod</code> (write permission, and an owner of <code>environments/prod.yaml</code> where CODEOWNERS names one). Nothing was done.',
    ],
  ])('GIVEN /unlock resolving to %p WHEN run THEN the reply says so', async (result, reply) => {
    const gh = repo();
    const unlock = jest.fn<CommandDeps['unlock']>(async () => result);
    await runCommand(sessionOf(gh), input('/unlock dev'), { ...noUnlock, unlock });
    expect(unlock.mock.calls[0][2]).toBe('dev');
    expect(gh.comments[0].body).toBe(reply);
  });

  test('GIVEN /apply WHEN the controller applies THEN its reply is posted; WHEN it cannot apply THEN the reply says so and nothing runs', async () => {
    const gh = repo();
    const apply = jest.fn<NonNullable<CommandDeps['apply']>>(async () => ({ queued: true, reply: 'queued it' }));
    expect(await runCommand(sessionOf(gh), input('/apply'), { ...noUnlock, apply })).toEqual({ action: 'apply', queued: true });
    expect(gh.comments[0].body).toBe('queued it');
    expect(await runCommand(sessionOf(gh), input('/apply'), noUnlock)).toEqual({ action: 'apply', queued: false });
    expect(gh.comments[1].body).toBe('@carol `/apply`: this controller does not apply. Nothing was done.');
  });

  test('GIVEN /unlock whose lock lookup fails WHEN run THEN the reply carries the one-line reason', async () => {
    const gh = repo();
    await runCommand(sessionOf(gh), input('/unlock'), {
      ...noUnlock,
      unlock: async () => {
        throw new Error('this pull request targets no environment; name one: /unlock <env>\nstack');
      },
    });
    expect(gh.comments[0].body).toBe('@carol `/unlock` failed: this pull request targets no environment; name one: /unlock <env>');
  });

  describe('refusal replies are limited', () => {
    function limited(gh: FakeGitHub) {
      const store = new SqliteStore(':memory:');
      let now = Date.parse('2025-06-01T12:00:00Z');
      const session = sessionOf(gh);
      const deps: CommandDeps = { ...noUnlock, replyLimits: store, clock: { now: () => new Date(now) } };
      return {
        session,
        run: (body: string, sender = 'bob', pr = 7) => runCommand(session, { ...input(body, sender), pr }, deps),
        advance: (ms: number) => (now += ms),
        close: () => store.close(),
      };
    }

    test('GIVEN a reader WHEN they post /plan 30 times within the hour THEN one reply is written and the rest are logged only', async () => {
      const gh = repo();
      const { run, session, close } = limited(gh);
      const outcomes = [];
      for (let i = 0; i < 30; i++) outcomes.push(await run('/plan'));
      close();
      expect(gh.writes).toEqual(['createComment #7']);
      expect(outcomes[0]).toEqual({ action: 'refused', permission: 'read', replied: true });
      expect(outcomes.slice(1).every((o) => o.action === 'refused' && !o.replied)).toBe(true);
      expect(session.logs.filter((l) => l.includes('command refused again within the hour; no reply'))).toHaveLength(29);
    });

    test('GIVEN a refused reader WHEN the hour has passed THEN they get one more reply', async () => {
      const gh = repo();
      const { run, advance, close } = limited(gh);
      await run('/plan');
      advance(REFUSAL_REPLY_WINDOW_MS - 1);
      await run('/help');
      advance(1);
      await run('/plan');
      close();
      expect(gh.writes).toEqual(['createComment #7', 'createComment #7']);
    });

    test('GIVEN a refused reader WHEN another reader, or the same reader on another pull request, is refused THEN each gets their own reply', async () => {
      const gh = repo();
      gh.permissions.set('eve', 'none');
      const { run, close } = limited(gh);
      await run('/plan');
      await run('/plan', 'eve');
      await run('/plan', 'bob', 8);
      close();
      expect(gh.writes).toEqual(['createComment #7', 'createComment #7', 'createComment #8']);
    });

    test('GIVEN a writer WHEN they post /help twice THEN both are answered (only refusals are limited)', async () => {
      const gh = repo();
      const { run, close } = limited(gh);
      await run('/help', 'carol');
      await run('/help', 'carol');
      close();
      expect(gh.writes).toEqual(['createComment #7', 'createComment #7']);
    });
  });
});
