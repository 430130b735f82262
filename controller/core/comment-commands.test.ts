import { jest } from '@jest/globals';
import { parseCommand } from '../rules/commands.js';
import { runCommand, type CommandDeps, type CommentInput } from './comment-commands.js';
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
    expect(outcome).toEqual({ action: 'refused', permission: 'read' });
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
    expect(body).toContain('`/deploy` is not a command (allowed: /plan, /unlock, /help)');
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

  test.each([
    [{ environment: 'dev', released: true }, '@carol released the `dev` lock held by this pull request.'],
    [
      { environment: 'prod', released: false, heldBy: '#41' },
      '@carol the `prod` lock is held by #41, not by this pull request; it was left alone.',
    ],
    [{ environment: 'uat', released: false }, '@carol nothing holds the `uat` lock; nothing to release.'],
  ])('GIVEN /unlock resolving to %p WHEN run THEN the reply says so', async (result, reply) => {
    const gh = repo();
    const unlock = jest.fn<CommandDeps['unlock']>(async () => result);
    await runCommand(sessionOf(gh), input('/unlock dev'), { ...noUnlock, unlock });
    expect(unlock.mock.calls[0][2]).toBe('dev');
    expect(gh.comments[0].body).toBe(reply);
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
});
