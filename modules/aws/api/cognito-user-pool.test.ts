import { CognitoUserPool as AwsCognitoUserPool } from '@cdktf/provider-aws/lib/cognito-user-pool/index.js';
import { Testing } from 'cdktf';
import type { Construct } from 'constructs';
import { onlyResource, resourcesOf, stack, synth, type Synth } from '../../../test/modules/synth.js';
import { CognitoUserPool, type CognitoUserPoolProps } from './cognito-user-pool.js';

const build =
  (overrides: Partial<CognitoUserPoolProps> = {}) =>
  (scope: Construct) =>
    new CognitoUserPool(scope, 'users', { name: 'orders-users', ...overrides });
const clients = (s: Synth) =>
  Object.fromEntries(Object.values(resourcesOf(s, 'aws_cognito_user_pool_client')).map((c) => [c.name as string, c]));

describe('CognitoUserPool', () => {
  test('GIVEN only a name WHEN synthesized THEN MFA is on, threat protection ENFORCED, passwords strong and only admins create users', () => {
    const out = Testing.synthScope(build());
    expect(out).toHaveResourceWithProperties(AwsCognitoUserPool, {
      name: 'orders-users',
      mfa_configuration: 'ON',
      software_token_mfa_configuration: { enabled: true },
      user_pool_tier: 'PLUS',
      user_pool_add_ons: { advanced_security_mode: 'ENFORCED' },
      deletion_protection: 'ACTIVE',
      password_policy: {
        minimum_length: 14,
        require_lowercase: true,
        require_uppercase: true,
        require_numbers: true,
        require_symbols: true,
        temporary_password_validity_days: 3,
        password_history_size: 5,
      },
      admin_create_user_config: { allow_admin_create_user_only: true },
      username_attributes: ['email'],
      auto_verified_attributes: ['email'],
      user_attribute_update_settings: { attributes_require_verification_before_update: ['email'] },
    });
    const s = JSON.parse(out) as Synth;
    expect(resourcesOf(s, 'aws_cognito_user_pool_client')).toEqual({});
    expect(resourcesOf(s, 'aws_cognito_user_pool_domain')).toEqual({});
  });

  test('GIVEN a SPA client WHEN synthesized THEN it has no secret and uses the code flow with SRP and refresh only', () => {
    const s = synth(
      build({
        clients: {
          web: {
            kind: 'spa',
            callbackUrls: ['https://app.example.com/callback', 'http://localhost:3000/cb'],
            logoutUrls: ['https://app.example.com/'],
          },
        },
      }),
    );
    expect(clients(s).web).toMatchObject({
      generate_secret: false,
      allowed_oauth_flows: ['code'],
      allowed_oauth_scopes: ['openid', 'email', 'profile'],
      allowed_oauth_flows_user_pool_client: true,
      callback_urls: ['https://app.example.com/callback', 'http://localhost:3000/cb'],
      logout_urls: ['https://app.example.com/'],
      explicit_auth_flows: ['ALLOW_USER_SRP_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      prevent_user_existence_errors: 'ENABLED',
      enable_token_revocation: true,
      access_token_validity: 60,
      supported_identity_providers: ['COGNITO'],
    });
  });

  test('GIVEN a service client and a resource server WHEN synthesized THEN the client has a secret, client credentials and the server scopes', () => {
    const s = synth(
      build({
        resourceServers: { orders: { scopes: { read: 'Read orders', write: 'Change orders' } } },
        clients: { billing: { kind: 'service', scopes: ['orders/read'] } },
        domainPrefix: 'orders-login',
      }),
    );
    expect(clients(s).billing).toMatchObject({
      generate_secret: true,
      allowed_oauth_flows: ['client_credentials'],
      allowed_oauth_scopes: ['orders/read'],
      explicit_auth_flows: ['ALLOW_REFRESH_TOKEN_AUTH'],
      depends_on: [expect.stringMatching(/^aws_cognito_resource_server\./)],
    });
    expect(onlyResource(s, 'aws_cognito_resource_server')).toMatchObject({
      identifier: 'orders',
      name: 'orders',
      scope: [
        { scope_name: 'read', scope_description: 'Read orders' },
        { scope_name: 'write', scope_description: 'Change orders' },
      ],
    });
    expect(onlyResource(s, 'aws_cognito_user_pool_domain')).toMatchObject({ domain: 'orders-login', managed_login_version: 2 });
  });

  test('GIVEN optional MFA, the Essentials plan, self sign-up, a longer password and no deletion protection WHEN synthesized THEN each reaches the output', () => {
    const pool = onlyResource(
      synth(build({ mfa: 'OPTIONAL', featurePlan: 'ESSENTIALS', selfSignUp: true, minimumPasswordLength: 20, deletionProtection: false })),
      'aws_cognito_user_pool',
    );
    expect(pool).toMatchObject({
      mfa_configuration: 'OPTIONAL',
      user_pool_tier: 'ESSENTIALS',
      admin_create_user_config: { allow_admin_create_user_only: false },
      deletion_protection: 'INACTIVE',
      password_policy: expect.objectContaining({ minimum_length: 20 }),
    });
    expect(pool.user_pool_add_ons).toBeUndefined();
  });

  test('GIVEN the construct WHEN read THEN the issuer URL is https:// plus the pool endpoint and client ids are keyed by name', () => {
    const pool = new CognitoUserPool(stack(), 'users', {
      name: 'u',
      clients: { web: { kind: 'spa', callbackUrls: ['https://a.example.com'] } },
    });
    expect(pool.issuerUrl).toMatch(/^https:\/\/\$\{TfToken/);
    expect(Object.keys(pool.clientIds)).toEqual(['web']);
  });

  test('GIVEN bad props WHEN constructed THEN one error lists every problem with values and allowed values', () => {
    expect(() =>
      build({
        mfa: 'OFF' as 'ON',
        minimumPasswordLength: 8,
        domainPrefix: 'my-cognito',
        resourceServers: { orders: { scopes: { 'a/b': 'bad' } } },
        clients: {
          web: { kind: 'spa', callbackUrls: ['http://app.example.com'], scopes: ['admin'] },
          svc: { kind: 'service', scopes: ['orders/write'] },
        },
      })(stack()),
    ).toThrow(
      'CognitoUserPool test/users: mfa must be one of "ON", "OPTIONAL" (got "OFF"); ' +
        'minimumPasswordLength must be an integer between 12 and 99 (got 8); ' +
        'domainPrefix must be lowercase letters, digits and "-", not containing aws, amazon or cognito (got "my-cognito"); ' +
        'resourceServers.orders.scopes key must be a scope name like "read" (no "/") (got "a/b"); ' +
        'clients.web URLs must be https:// (or http://localhost) without a fragment (got "http://app.example.com"); ' +
        'clients.web.scopes must be standard (openid, email, profile, phone, aws.cognito.signin.user.admin) or resource-server scopes (got "admin"); ' +
        'clients.svc.scopes must be resource-server scopes (have: orders/a/b) (got "orders/write")',
    );
  });

  test('GIVEN a SPA without callbacks and a service without scopes WHEN constructed THEN both are reported', () => {
    expect(() => build({ clients: { web: { kind: 'spa', callbackUrls: [] }, svc: { kind: 'service', scopes: [] } } })(stack())).toThrow(
      'CognitoUserPool test/users: clients.web.callbackUrls must list at least one URL (got none); clients.svc.scopes must list at least one resource-server scope (got none)',
    );
  });
});
