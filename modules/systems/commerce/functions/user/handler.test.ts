import { bodyOf, MemoryTable, request } from '../../../../../test/functions/fakes.js';
import { userService } from './handler.js';

function service() {
  const users = new MemoryTable('userId', [{ userId: 'u-2', name: 'Bo', email: 'bo@example.com' }]);
  return { users, handle: userService({ users }) };
}

describe('user service', () => {
  test('GIVEN a signed-in user WHEN they write then read "me" THEN their profile is stored under their sub', async () => {
    const { handle, users } = service();
    const put = await handle(request('PUT', '/v1/users/me', { sub: 'u-1', body: { name: 'Al', email: 'al@example.com' } }));
    expect(put.statusCode).toBe(200);
    expect(users.items.get('u-1')).toEqual({ userId: 'u-1', name: 'Al', email: 'al@example.com' });
    expect(bodyOf(await handle(request('GET', '/v1/users/u-1', { sub: 'u-1' }))).name).toBe('Al');
  });

  test("GIVEN another user's id WHEN read or written THEN 403 and nothing changes", async () => {
    const { handle, users } = service();
    expect((await handle(request('GET', '/v1/users/u-2', { sub: 'u-1' }))).statusCode).toBe(403);
    expect((await handle(request('PUT', '/v1/users/u-2', { sub: 'u-1', body: { name: 'X', email: 'x@example.com' } }))).statusCode).toBe(
      403,
    );
    expect(users.items.get('u-2')!.name).toBe('Bo');
  });

  test('GIVEN no signed-in user, no profile, a bad e-mail WHEN called THEN 401, 404 and 400', async () => {
    const { handle } = service();
    expect((await handle(request('GET', '/v1/users/me'))).statusCode).toBe(401);
    expect((await handle(request('GET', '/v1/users/me', { sub: 'u-9' }))).statusCode).toBe(404);
    const bad = await handle(request('PUT', '/v1/users/me', { sub: 'u-9', body: { name: 'N', email: 'nope' } }));
    expect(bodyOf(bad).message).toBe('email must be an e-mail address (got "nope")');
  });
});
