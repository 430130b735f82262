import { OpenApiDescription } from './openapi-validator.js';

describe('OpenApiDescription (ghes-3.19)', () => {
  const openapi = OpenApiDescription.load();

  test('GIVEN request paths WHEN matched THEN the operation and decoded path parameters come back, literal routes winning', () => {
    expect(openapi.match('GET', '/repos/acme/infra/pulls/7')).toMatchObject({
      operation: { operationId: 'pulls/get' },
      pathParams: { owner: 'acme', repo: 'infra', pull_number: '7' },
    });
    expect(openapi.match('GET', '/repos/acme/infra/compare/main...feature%2Fx')).toMatchObject({
      operation: { operationId: 'repos/compare-commits' },
      pathParams: { base: 'main', head: 'feature/x' },
    });
    expect(openapi.match('GET', '/repos/acme/infra/git/ref/heads%2Ffeature%2Fx')?.pathParams.ref).toBe('heads/feature/x');
    expect(openapi.match('GET', '/repos/acme/infra/contents/environments/dev.yaml')?.pathParams.path).toBe('environments/dev.yaml');
    expect(openapi.match('GET', '/repos/acme/infra/contents')).toMatchObject({
      operation: { operationId: 'repos/get-content' },
      pathParams: { path: '' },
    });
  });

  test('GIVEN paths or methods GitHub does not have WHEN matched THEN undefined (no greedy match on {repo})', () => {
    expect(openapi.match('GET', '/repos/acme/infra/nonsense')).toBeUndefined();
    expect(openapi.match('DELETE', '/repos/acme/infra/pulls/7')).toBeUndefined();
    expect(openapi.match('GET', '/nope')).toBeUndefined();
  });

  test('GIVEN parameters and bodies WHEN validated THEN missing, mistyped, unknown and misspelt inputs are named', () => {
    const list = openapi.match('GET', '/repos/a/b/pulls')!;
    expect(openapi.validateRequest(list, new URLSearchParams('state=open&per_page=5'), undefined)).toEqual([]);
    expect(openapi.validateRequest(list, new URLSearchParams('state=merged&per_page=x&status=1'), undefined)).toEqual([
      'query parameter "state" must be one of open, closed, all, got "merged"',
      'query parameter "per_page" must be an integer, got "x"',
      'unknown query parameter "status" (allowed: state, head, base, sort, direction, per_page, page)',
    ]);
    const get = openapi.match('GET', '/repos/a/b/pulls/x')!;
    expect(openapi.validateRequest(get, new URLSearchParams(), undefined)).toEqual([
      'path parameter "pull_number" must be an integer, got "x"',
    ]);
    const comment = openapi.match('POST', '/repos/a/b/issues/1/comments')!;
    expect(openapi.validateRequest(comment, new URLSearchParams(), undefined)).toEqual(['missing required JSON body']);
    expect(openapi.validateRequest(comment, new URLSearchParams(), { body: 5 })).toEqual(['body.body: expected string, got number 5']);
    const repo = openapi.match('GET', '/repos/a/b')!;
    expect(openapi.validateRequest(repo, new URLSearchParams(), { x: 1 })).toEqual(['repos/get takes no request body']);
  });

  test('GIVEN a response WHEN its status or body is off the description THEN the problem is reported', () => {
    const op = openapi.match('GET', '/repos/a/b/git/ref/heads%2Fmain')!.operation;
    expect(
      openapi.validateResponse(op, 200, {
        ref: 'refs/heads/main',
        node_id: 'x',
        url: 'u',
        object: { type: 'commit', sha: 'a'.repeat(40), url: 'u' },
      }),
    ).toEqual([]);
    expect(openapi.validateResponse(op, 200, { ref: 'refs/heads/main' })).toEqual([
      'response: missing required field "node_id"',
      'response: missing required field "url"',
      'response: missing required field "object"',
    ]);
    expect(openapi.validateResponse(op, 201, {})[0]).toContain('status 201 is not documented for git/get-ref');
  });

  test('GIVEN webhook payloads WHEN checked against x-webhooks THEN missing parts are named and unknown events are reported', () => {
    expect(openapi.validateWebhook('pull_request', 'opened', { action: 'opened' })).toEqual([
      'payload: missing required field "number"',
      'payload: missing required field "pull_request"',
      'payload: missing required field "repository"',
      'payload: missing required field "sender"',
    ]);
    expect(openapi.validateWebhook('no_such_event', 'done', {})).toEqual(['no webhook "no-such-event-done" in the ghes-3.19 description']);
  });

  test('GIVEN the description WHEN loaded twice THEN it is parsed once', () => {
    expect(OpenApiDescription.load('ghes-3.19')).toBe(openapi);
  });
});
