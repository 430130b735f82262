import { createSign, generateKeyPairSync } from 'node:crypto';
import { AppAuthority, parseAuthorization } from './auth.js';

function jwt(claims: Record<string, unknown>, key: string, alg = 'RS256'): string {
  const part = (o: unknown) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const unsigned = `${part({ alg, typ: 'JWT' })}.${part(claims)}`;
  return `${unsigned}.${createSign('RSA-SHA256').update(unsigned).sign(key, 'base64url')}`;
}

describe('AppAuthority', () => {
  const authority = new AppAuthority(42);
  const now = Date.parse('2025-01-01T00:00:00Z');
  const s = now / 1000;

  test('GIVEN the generated key WHEN exported THEN it is a PKCS#1 PEM as GitHub hands out', () => {
    expect(authority.privateKey).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n/);
  });

  test('GIVEN a JWT as @octokit/auth-app makes it (iat -30 s, 10 min) WHEN verified THEN ok; iss may be a number or a string', () => {
    expect(authority.verifyJwt(jwt({ iss: 42, iat: s - 30, exp: s + 570 }, authority.privateKey), now)).toEqual({ ok: true });
    expect(authority.verifyJwt(jwt({ iss: '42', iat: s - 30, exp: s + 570 }, authority.privateKey), now)).toEqual({ ok: true });
  });

  test.each([
    [
      'another key',
      () =>
        jwt(
          { iss: 42, iat: s, exp: s + 60 },
          generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
        ),
      'signature does not match',
    ],
    ['the wrong iss', () => jwt({ iss: 43, iat: s, exp: s + 60 }, authority.privateKey), "'iss') must be the App id 42, got 43"],
    ['an expired exp', () => jwt({ iss: 42, iat: s - 700, exp: s - 1 }, authority.privateKey), 'must be in the future'],
    ['an exp over 10 minutes away', () => jwt({ iss: 42, iat: s, exp: s + 3600 }, authority.privateKey), 'too far in the future'],
    ['an iat in the future', () => jwt({ iss: 42, iat: s + 300, exp: s + 500 }, authority.privateKey), "'iat'"],
    ['no exp', () => jwt({ iss: 42, iat: s }, authority.privateKey), "Missing 'iat' or 'exp'"],
    ['alg HS256', () => jwt({ iss: 42, iat: s, exp: s + 60 }, authority.privateKey, 'HS256'), 'alg must be RS256'],
    ['garbage', () => 'not.a.jwt', 'could not be decoded'],
  ])('GIVEN a JWT with %s WHEN verified THEN it is refused with a reason', (_name, make, reason) => {
    const result = authority.verifyJwt(make(), now);
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.message).toContain(reason);
  });

  test('GIVEN issued tokens WHEN presented as token/Bearer/Basic THEN they authorize until they expire', () => {
    const grant = authority.issue('installation', 'app[bot]', 1, now);
    expect(grant.token).toMatch(/^ghs_[A-Za-z0-9_-]{36}$/);
    expect(authority.authorize(`token ${grant.token}`, now)).toMatchObject({ ok: true, grant: { login: 'app[bot]' } });
    expect(authority.authorize(`Bearer ${grant.token}`, now).ok).toBe(true);
    expect(authority.authorize(`token ${grant.token}`, now + 61 * 60 * 1000)).toEqual({
      ok: false,
      message: 'Bad credentials (installation token expired)',
    });
    expect(authority.authorize(undefined, now)).toEqual({ ok: false, message: 'Requires authentication' });
    const basic = (user: string) => `Basic ${Buffer.from(`${user}:${grant.token}`).toString('base64')}`;
    expect(authority.authorizeBasic(basic('x-access-token'), now).ok).toBe(true);
    expect(authority.authorizeBasic(basic('git'), now)).toMatchObject({ ok: false, message: expect.stringContaining('x-access-token') });
    expect(parseAuthorization('token  abc')).toBe('abc');
  });
});
