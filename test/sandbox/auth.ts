// GitHub App authentication as GitHub does it: an RS256 JWT signed with the App's private key
// (iss = App id, at most 10 minutes long) buys installation tokens; installation tokens (or, for
// tests, tokens minted for a named user) authorize everything else.
import { createPublicKey, generateKeyPairSync, randomBytes, verify, type KeyObject } from 'node:crypto';

export interface TokenGrant {
  token: string;
  /** `installation`: acts as the App's bot user; `user`: acts as `login` (tests only). */
  kind: 'installation' | 'user';
  login: string;
  installationId: number;
  expiresAt: Date;
}

export type AuthResult = { ok: true; grant: TokenGrant } | { ok: false; message: string };
export type JwtResult = { ok: true } | { ok: false; message: string };

const TOKEN_LIFETIME_MS = 60 * 60 * 1000;
const CLOCK_SKEW_S = 60;
const MAX_JWT_LIFETIME_S = 10 * 60;

export class AppAuthority {
  /** PKCS#1 PEM, the format GitHub hands out ("BEGIN RSA PRIVATE KEY"). */
  readonly privateKey: string;
  private readonly publicKey: KeyObject;
  private readonly grants = new Map<string, TokenGrant>();

  constructor(readonly appId: number) {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.privateKey = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    this.publicKey = createPublicKey(privateKey);
  }

  /** Checks an App JWT: RS256 signature by our key, iss = App id, not expired, at most 10 minutes long. */
  verifyJwt(jwt: string, now = Date.now()): JwtResult {
    const parts = jwt.split('.');
    if (parts.length !== 3) return { ok: false, message: 'A JSON web token could not be decoded' };
    const [headerPart, payloadPart, signaturePart] = parts as [string, string, string];
    let header: { alg?: string };
    let claims: { iss?: unknown; exp?: unknown; iat?: unknown };
    try {
      header = JSON.parse(Buffer.from(headerPart, 'base64url').toString('utf8'));
      claims = JSON.parse(Buffer.from(payloadPart, 'base64url').toString('utf8'));
    } catch {
      return { ok: false, message: 'A JSON web token could not be decoded' };
    }
    if (header.alg !== 'RS256') return { ok: false, message: `JWT alg must be RS256, got ${String(header.alg)}` };
    const signed = Buffer.from(`${headerPart}.${payloadPart}`);
    if (!verify('RSA-SHA256', signed, this.publicKey, Buffer.from(signaturePart, 'base64url'))) {
      return { ok: false, message: "A JSON web token could not be decoded (signature does not match the App's key)" };
    }
    if (String(claims.iss) !== String(this.appId)) {
      return { ok: false, message: `'Issuer' claim ('iss') must be the App id ${this.appId}, got ${JSON.stringify(claims.iss)}` };
    }
    const nowS = Math.floor(now / 1000);
    if (typeof claims.exp !== 'number' || typeof claims.iat !== 'number') {
      return { ok: false, message: "Missing 'iat' or 'exp' claim" };
    }
    if (claims.exp <= nowS) return { ok: false, message: "'Expiration time' claim ('exp') must be in the future" };
    if (claims.iat > nowS + CLOCK_SKEW_S)
      return { ok: false, message: "'Issued at' claim ('iat') must be an Integer representing a time in the past" };
    if (claims.exp - nowS > MAX_JWT_LIFETIME_S + CLOCK_SKEW_S) {
      return { ok: false, message: "'Expiration time' claim ('exp') is too far in the future" };
    }
    return { ok: true };
  }

  issue(kind: TokenGrant['kind'], login: string, installationId: number, now = Date.now()): TokenGrant {
    const prefix = kind === 'installation' ? 'ghs_' : 'ghu_';
    const grant: TokenGrant = {
      token: prefix + randomBytes(27).toString('base64url').slice(0, 36),
      kind,
      login,
      installationId,
      expiresAt: new Date(now + TOKEN_LIFETIME_MS),
    };
    this.grants.set(grant.token, grant);
    return grant;
  }

  /** Checks `Authorization: token X` / `Bearer X` against the tokens issued. */
  authorize(header: string | undefined, now = Date.now()): AuthResult {
    const token = parseAuthorization(header);
    if (!token) return { ok: false, message: 'Requires authentication' };
    const grant = this.grants.get(token);
    if (!grant) return { ok: false, message: 'Bad credentials' };
    if (grant.expiresAt.getTime() <= now) return { ok: false, message: 'Bad credentials (installation token expired)' };
    return { ok: true, grant };
  }

  /** The token of `Basic base64(x-access-token:<token>)`, GitHub's convention for git over HTTPS. */
  authorizeBasic(header: string | undefined, now = Date.now()): AuthResult {
    const m = /^Basic\s+(\S+)$/i.exec(header ?? '');
    if (!m) return { ok: false, message: 'Requires authentication' };
    const decoded = Buffer.from(m[1] as string, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0 || decoded.slice(0, colon) !== 'x-access-token') {
      return { ok: false, message: 'git over HTTP wants the user name x-access-token and a token as the password' };
    }
    return this.authorize(`token ${decoded.slice(colon + 1)}`, now);
  }
}

export function parseAuthorization(header: string | undefined): string | undefined {
  const m = /^(?:token|bearer)\s+(\S+)$/i.exec(header ?? '');
  return m?.[1];
}
