// A Cognito user pool for API sign-in: email usernames, a strong password policy, MFA on by
// default, threat protection ENFORCED on the Plus plan, and app clients by name — public clients
// (no secret, authorization code + PKCE) for single-page apps, confidential clients (with a
// secret, client credentials) for services.
import { Construct } from 'constructs';
import { CognitoUserPool as AwsCognitoUserPool } from '@cdktf/provider-aws/lib/cognito-user-pool/index.js';
import { CognitoUserPoolClient } from '@cdktf/provider-aws/lib/cognito-user-pool-client/index.js';
import { CognitoResourceServer } from '@cdktf/provider-aws/lib/cognito-resource-server/index.js';
import { CognitoUserPoolDomain } from '@cdktf/provider-aws/lib/cognito-user-pool-domain/index.js';
import { PropProblems } from '../../core/validation.js';
import { checkKeys } from '../compute/checks.js';

export type UserPoolClientSpec =
  | {
      /** A browser app: no secret (it could not keep one), authorization code flow with PKCE. */
      readonly kind: 'spa';
      /** https:// URLs (http://localhost allowed for development). */
      readonly callbackUrls: string[];
      /** @default none */
      readonly logoutUrls?: string[];
      /** @default ['openid', 'email', 'profile'] */
      readonly scopes?: string[];
    }
  | {
      /** A backend service: a client secret and the client-credentials flow. */
      readonly kind: 'service';
      /** Resource-server scopes, `<identifier>/<scope>`. */
      readonly scopes: string[];
    };

export interface ResourceServerSpec {
  /** @default the identifier */
  readonly name?: string;
  /** Scope name → description. */
  readonly scopes: Record<string, string>;
}

export interface CognitoUserPoolProps {
  readonly name: string;
  /** @default 'ON': every user enrols a TOTP authenticator */
  readonly mfa?: 'ON' | 'OPTIONAL';
  /** 'PLUS' enables threat protection (ENFORCED); 'ESSENTIALS' has none. @default 'PLUS' */
  readonly featurePlan?: 'PLUS' | 'ESSENTIALS';
  /** @default 14 */
  readonly minimumPasswordLength?: number;
  /** Let anyone sign up (otherwise administrators create users). @default false */
  readonly selfSignUp?: boolean;
  /** @default true */
  readonly deletionProtection?: boolean;
  /** Resource servers by identifier (e.g. `orders`), defining scopes for service clients. @default none */
  readonly resourceServers?: Record<string, ResourceServerSpec>;
  /** App clients by name. @default none */
  readonly clients?: Record<string, UserPoolClientSpec>;
  /** Cognito domain prefix for the hosted sign-in and token endpoints (OAuth flows need one). @default no domain */
  readonly domainPrefix?: string;
}

const SPA_SCOPES = ['openid', 'email', 'profile', 'phone', 'aws.cognito.signin.user.admin'];

export class CognitoUserPool extends Construct {
  public readonly userPool: AwsCognitoUserPool;
  public readonly id: string;
  public readonly arn: string;
  /** `cognito-idp.<region>.amazonaws.com/<pool id>` */
  public readonly endpoint: string;
  /** The JWT issuer, for HttpApi's COGNITO authorizer. */
  public readonly issuerUrl: string;
  public readonly clients: Record<string, CognitoUserPoolClient> = {};
  public readonly clientIds: Record<string, string> = {};
  public readonly domain?: CognitoUserPoolDomain;

  constructor(scope: Construct, id: string, props: CognitoUserPoolProps) {
    super(scope, id);
    validate(this, props);
    const plus = (props.featurePlan ?? 'PLUS') === 'PLUS';

    this.userPool = new AwsCognitoUserPool(this, 'user-pool', {
      name: props.name,
      userPoolTier: plus ? 'PLUS' : 'ESSENTIALS',
      deletionProtection: (props.deletionProtection ?? true) ? 'ACTIVE' : 'INACTIVE',
      usernameAttributes: ['email'],
      autoVerifiedAttributes: ['email'],
      // A changed email stays unverified (and unusable for sign-in) until the user confirms it.
      userAttributeUpdateSettings: { attributesRequireVerificationBeforeUpdate: ['email'] },
      accountRecoverySetting: { recoveryMechanism: [{ name: 'verified_email', priority: 1 }] },
      adminCreateUserConfig: { allowAdminCreateUserOnly: !(props.selfSignUp ?? false) },
      passwordPolicy: {
        minimumLength: props.minimumPasswordLength ?? 14,
        requireLowercase: true,
        requireUppercase: true,
        requireNumbers: true,
        requireSymbols: true,
        temporaryPasswordValidityDays: 3,
        passwordHistorySize: 5,
      },
      mfaConfiguration: props.mfa ?? 'ON',
      softwareTokenMfaConfiguration: { enabled: true },
      userPoolAddOns: plus ? { advancedSecurityMode: 'ENFORCED' } : undefined,
    });
    this.id = this.userPool.id;
    this.arn = this.userPool.arn;
    this.endpoint = this.userPool.endpoint;
    this.issuerUrl = `https://${this.userPool.endpoint}`;

    const servers = Object.entries(props.resourceServers ?? {}).map(
      ([identifier, server]) =>
        new CognitoResourceServer(this, `resource-server-${identifier}`, {
          userPoolId: this.userPool.id,
          identifier,
          name: server.name ?? identifier,
          scope: Object.entries(server.scopes).map(([scopeName, scopeDescription]) => ({ scopeName, scopeDescription })),
        }),
    );
    if (props.domainPrefix !== undefined) {
      this.domain = new CognitoUserPoolDomain(this, 'domain', {
        domain: props.domainPrefix,
        userPoolId: this.userPool.id,
        managedLoginVersion: 2,
      });
    }

    for (const [name, spec] of Object.entries(props.clients ?? {})) {
      const common = {
        userPoolId: this.userPool.id,
        name,
        allowedOauthFlowsUserPoolClient: true,
        supportedIdentityProviders: ['COGNITO'],
        preventUserExistenceErrors: 'ENABLED',
        enableTokenRevocation: true,
        accessTokenValidity: 60,
        idTokenValidity: 60,
        tokenValidityUnits: [{ accessToken: 'minutes', idToken: 'minutes', refreshToken: 'days' }],
      };
      this.clients[name] =
        spec.kind === 'spa'
          ? new CognitoUserPoolClient(this, `client-${name}`, {
              ...common,
              generateSecret: false,
              allowedOauthFlows: ['code'],
              allowedOauthScopes: spec.scopes ?? ['openid', 'email', 'profile'],
              callbackUrls: spec.callbackUrls,
              logoutUrls: spec.logoutUrls,
              explicitAuthFlows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
              refreshTokenValidity: 30,
            })
          : new CognitoUserPoolClient(this, `client-${name}`, {
              ...common,
              generateSecret: true,
              allowedOauthFlows: ['client_credentials'],
              allowedOauthScopes: spec.scopes,
              explicitAuthFlows: ['ALLOW_REFRESH_TOKEN_AUTH'],
              refreshTokenValidity: 1,
              // Scopes must exist before a client may be granted them.
              dependsOn: servers,
            });
      this.clientIds[name] = this.clients[name].id;
    }
  }
}

function validate(scope: Construct, props: CognitoUserPoolProps): void {
  const p = new PropProblems(scope, 'CognitoUserPool')
    .matches('name', props.name, /^[\w\s+=,.@-]{1,128}$/, '1-128 letters, digits, spaces or +=,.@_-')
    .oneOf('mfa', props.mfa, ['ON', 'OPTIONAL'])
    .oneOf('featurePlan', props.featurePlan, ['PLUS', 'ESSENTIALS'])
    .range('minimumPasswordLength', props.minimumPasswordLength, 12, 99)
    .matches(
      'domainPrefix',
      props.domainPrefix,
      /^(?!.*(aws|amazon|cognito))[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/,
      'lowercase letters, digits and "-", not containing aws, amazon or cognito',
    );
  checkKeys(p, 'clients', props.clients);
  const serverScopes = Object.entries(props.resourceServers ?? {}).flatMap(([identifier, server]) => {
    p.matches(
      'resourceServers key',
      identifier,
      /^[\x21\x23-\x5B\x5D-\x7E]{1,256}$/,
      'an identifier like "orders" or "https://api.example.com"',
    );
    for (const scopeName of Object.keys(server.scopes))
      p.matches(
        `resourceServers.${identifier}.scopes key`,
        scopeName,
        /^[\x21\x23-\x2E\x30-\x5B\x5D-\x7E]{1,256}$/,
        'a scope name like "read" (no "/")',
      );
    return Object.keys(server.scopes).map((scopeName) => `${identifier}/${scopeName}`);
  });
  for (const [name, spec] of Object.entries(props.clients ?? {})) {
    const at = `clients.${name}`;
    p.oneOf(`${at}.kind`, spec.kind, ['spa', 'service']);
    if (spec.kind === 'spa') {
      p.check(spec.callbackUrls.length > 0, `${at}.callbackUrls must list at least one URL (got none)`, spec.callbackUrls);
      for (const url of [...spec.callbackUrls, ...(spec.logoutUrls ?? [])]) {
        p.matches(
          `${at} URLs`,
          url,
          /^(https:\/\/[^\s#]+|http:\/\/localhost(:\d+)?(\/[^\s#]*)?)$/,
          'https:// (or http://localhost) without a fragment',
        );
      }
      for (const s of spec.scopes ?? []) {
        p.check(
          SPA_SCOPES.includes(s) || serverScopes.includes(s),
          `${at}.scopes must be standard (${SPA_SCOPES.join(', ')}) or resource-server scopes (got ${JSON.stringify(s)})`,
        );
      }
    } else if (spec.kind === 'service') {
      p.check(spec.scopes.length > 0, `${at}.scopes must list at least one resource-server scope (got none)`);
      for (const s of spec.scopes) {
        p.check(
          serverScopes.includes(s),
          `${at}.scopes must be resource-server scopes (have: ${serverScopes.join(', ') || 'none'}) (got ${JSON.stringify(s)})`,
        );
      }
    }
  }
  p.throwIfAny();
}
