// The user service (Users table): a signed-in user reads and writes their own profile; sign-in itself
// is Cognito, whose `sub` claim is the profile's userId. `me` stands for the caller's own id.
//   GET /users/{id}   the profile, or 404
//   PUT /users/{id}   {"name", "email", "address"?}: creates or replaces it
import { handleRequests, json, jsonBody, pathBelow, RequestError, type ProxyEvent, type ProxyResult } from '../../../function-kit/http.js';
import type { Table } from '../../../function-kit/table.js';
import { checkFields, checkId } from '../fields.js';

export interface UserDeps {
  readonly users: Table;
}

export function userService(deps: UserDeps): (event: ProxyEvent) => Promise<ProxyResult> {
  return handleRequests(async (event) => {
    const caller = event.requestContext?.authorizer?.claims?.sub;
    if (!caller) throw new RequestError(401, 'the request carries no signed-in user');
    const [rawId, ...rest] = pathBelow(event, 'users');
    if (rawId === undefined || rest.length > 0) throw new RequestError(404, `no such resource: ${event.path} (GET or PUT /users/{id})`);
    const userId = rawId === 'me' ? caller : checkId('the user id', rawId);
    if (userId !== caller) throw new RequestError(403, 'a user may only read and change their own profile');
    if (event.httpMethod === 'GET') {
      const user = await deps.users.get(userId);
      if (!user) throw new RequestError(404, `user ${userId} has no profile yet`);
      return json(200, user);
    }
    if (event.httpMethod === 'PUT') {
      const body = checkFields(jsonBody(event), { name: 'string', email: 'email', address: 'optional string' });
      const user = { ...(body as Record<string, string>), userId };
      await deps.users.put(user);
      return json(200, user);
    }
    throw new RequestError(405, `${event.httpMethod} /users/{id} is not supported (GET, PUT)`);
  });
}
