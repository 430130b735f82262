import { matchingCaller, stageArn, tokenAuthorizer, UNAUTHORIZED } from './token-authorizer.js';

const METHOD_ARN = 'arn:aws:execute-api:eu-west-1:111111111111:abc123/v1/POST/messages';
const tokens = async () => ({ 'plant-a': 'token-of-plant-a', 'plant-b': 'token-of-plant-b' });

describe('tokenAuthorizer', () => {
  const bearer = tokenAuthorizer({ tokens, scheme: 'Bearer' });

  test('GIVEN a known bearer token WHEN authorized THEN its caller is the principal, allowed on the whole stage', async () => {
    const result = await bearer({ type: 'TOKEN', authorizationToken: 'Bearer token-of-plant-b', methodArn: METHOD_ARN });
    expect(result).toEqual({
      principalId: 'plant-b',
      context: { caller: 'plant-b' },
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: 'arn:aws:execute-api:eu-west-1:111111111111:abc123/v1/*' }],
      },
    });
  });

  test.each([
    ['an unknown token', 'Bearer token-of-plant-c'],
    ['a known token without the scheme', 'token-of-plant-a'],
    ['another scheme', 'Basic token-of-plant-a'],
    ['extra words', 'Bearer token-of-plant-a x'],
    ['nothing', ''],
  ])('GIVEN %s WHEN authorized THEN it fails with Unauthorized (API Gateway answers 401)', async (_, header) => {
    await expect(bearer({ type: 'TOKEN', authorizationToken: header, methodArn: METHOD_ARN })).rejects.toThrow(new Error(UNAUTHORIZED));
  });

  test('GIVEN no scheme WHEN the raw key is presented THEN it is matched as it is', async () => {
    const raw = tokenAuthorizer({ tokens });
    expect((await raw({ type: 'TOKEN', authorizationToken: 'token-of-plant-a', methodArn: METHOD_ARN })).principalId).toBe('plant-a');
    await expect(raw({ type: 'TOKEN', authorizationToken: 'Bearer token-of-plant-a', methodArn: METHOD_ARN })).rejects.toThrow(
      UNAUTHORIZED,
    );
  });

  test('GIVEN the secret cannot be read WHEN authorized THEN the error propagates (API Gateway answers 500, not Allow)', async () => {
    const failing = tokenAuthorizer({ tokens: () => Promise.reject(new Error('AccessDenied')), scheme: 'Bearer' });
    await expect(failing({ type: 'TOKEN', authorizationToken: 'Bearer x', methodArn: METHOD_ARN })).rejects.toThrow('AccessDenied');
  });

  test('GIVEN two callers sharing a token WHEN matched THEN the first is chosen; a prefix of a token matches nothing', () => {
    expect(matchingCaller('same', { a: 'same', b: 'same' })).toBe('a');
    expect(matchingCaller('token-of', { a: 'token-of-plant-a' })).toBeUndefined();
  });

  test('GIVEN something that is not a method ARN WHEN turned into the stage ARN THEN it is refused, naming it', () => {
    expect(() => stageArn('arn:aws:s3:::bucket/key')).toThrow('not an API Gateway method ARN: "arn:aws:s3:::bucket/key"');
  });
});
