import { readFileSync } from 'node:fs';
import table from './sensitive-attributes.json' with { type: 'json' };
import { hasSecretName, isSensitiveAttribute, pathParts, sensitiveAttributes } from './sensitive.js';

const pinned = (pkg: string) =>
  (
    JSON.parse(readFileSync(new URL(`../../node_modules/${pkg}/package.json`, import.meta.url), 'utf8')) as {
      cdktf: { provider: { name: string; version: string } };
    }
  ).cdktf.provider;

describe('the sensitive attribute table', () => {
  test('GIVEN the pinned cdktf provider packages WHEN compared with the table THEN it was generated for the same provider versions', () => {
    const versions = Object.fromEntries(['@cdktf/provider-aws', '@cdktf/provider-azurerm'].map(pinned).map((p) => [p.name, p.version]));
    // a failure here means a provider was bumped: run `npx tsx scripts/sensitive-attributes.ts`
    expect(table.providers).toEqual(versions);
  });

  // From the providers' documentation, for resource types our stacks synthesize: a cross-check of the generator.
  test.each([
    ['aws_db_instance', 'password'],
    ['aws_elasticache_replication_group', 'auth_token'],
    ['aws_secretsmanager_secret_version', 'secret_string'],
    ['aws_ssm_parameter', 'value'],
    ['aws_vpn_connection', 'tunnel1_preshared_key'],
    ['aws_vpn_connection', 'tunnel2_preshared_key'],
    ['aws_cognito_user_pool_client', 'client_secret'],
    ['aws_acm_certificate', 'private_key'],
    ['azurerm_key_vault_secret', 'value'],
    ['azurerm_mssql_server', 'administrator_login_password'],
    ['azurerm_mssql_server', 'administrator_login_password_wo'],
    ['azurerm_virtual_network_gateway_connection', 'shared_key'],
    ['azurerm_linux_function_app', 'storage_account_access_key'],
    ['azurerm_storage_account', 'primary_access_key'],
    ['azurerm_application_insights', 'instrumentation_key'],
    ['azurerm_redis_cache', 'primary_access_key'],
  ])('GIVEN %s WHEN looked up THEN %s is listed as sensitive', (type, attribute) => {
    expect(sensitiveAttributes('resource', type)).toContain(attribute);
  });

  test('GIVEN every entry WHEN read THEN types carry their provider prefix and attributes are snake_case paths', () => {
    for (const [type, attributes] of [...Object.entries(table.resource), ...Object.entries(table.data)]) {
      expect(type).toMatch(/^(aws|azurerm)_[a-z0-9_]+$/);
      for (const a of attributes) expect(`${type}.${a}`).toMatch(/^[a-z0-9_]+(\.[a-z0-9_]+)+$/);
    }
  });
});

describe('isSensitiveAttribute', () => {
  test('GIVEN an attribute the provider marks sensitive WHEN checked THEN it and everything under it is sensitive, its neighbours are not', () => {
    expect(isSensitiveAttribute('resource', 'aws_ssm_parameter', 'value')).toBe(true);
    expect(isSensitiveAttribute('resource', 'azurerm_linux_function_app', 'site_credential[0].password')).toBe(true);
    expect(isSensitiveAttribute('resource', 'aws_ssm_parameter', 'name')).toBe(false);
    expect(isSensitiveAttribute('resource', 'aws_ssm_parameter', 'values')).toBe(false);
  });

  test('GIVEN a nested sensitive attribute WHEN checked through list indexes THEN it is sensitive', () => {
    expect(isSensitiveAttribute('resource', 'azurerm_linux_function_app', 'backup[0].storage_account_url')).toBe(true);
    expect(isSensitiveAttribute('resource', 'azurerm_linux_function_app', 'backup.storage_account_url')).toBe(true);
    expect(isSensitiveAttribute('resource', 'azurerm_linux_function_app', 'backup[0].name')).toBe(false);
  });

  test('GIVEN environment variables and app settings WHEN checked THEN every value is sensitive, only for the types that have them', () => {
    expect(isSensitiveAttribute('resource', 'aws_lambda_function', 'environment.variables.QUEUE_URL')).toBe(true);
    expect(isSensitiveAttribute('resource', 'aws_lambda_function', 'environment[0].variables.QUEUE_URL')).toBe(true);
    expect(isSensitiveAttribute('resource', 'aws_lambda_function', 'function_name')).toBe(false);
    expect(isSensitiveAttribute('resource', 'azurerm_linux_function_app', 'app_settings.REDIS_HOST')).toBe(true);
    expect(isSensitiveAttribute('resource', 'azurerm_windows_web_app_slot', 'app_settings.X')).toBe(true);
    expect(isSensitiveAttribute('resource', 'aws_s3_bucket', 'app_settings.X')).toBe(false);
    expect(isSensitiveAttribute('data', 'aws_lambda_function', 'environment.variables.X')).toBe(false);
  });

  test('GIVEN a data source WHEN checked THEN the data source table applies', () => {
    expect(isSensitiveAttribute('data', 'aws_kms_ciphertext', 'plaintext')).toBe(true);
    expect(isSensitiveAttribute('data', 'aws_kms_ciphertext', 'key_id')).toBe(false);
    expect(isSensitiveAttribute('data', 'aws_ssm_parameter', 'name')).toBe(false);
  });

  test('GIVEN a name that looks secret WHEN checked in any block, module or unknown type THEN it is sensitive', () => {
    expect(isSensitiveAttribute('module', 'module', 'inputs.db_password')).toBe(true);
    expect(isSensitiveAttribute('resource', 'random_unknown_type', 'settings[2].api_key')).toBe(true);
    expect(isSensitiveAttribute('resource', 'random_unknown_type', 'settings[2].description')).toBe(false);
    expect(isSensitiveAttribute('module', 'module', 'value')).toBe(false);
  });

  test('GIVEN odd paths (empty, only indexes, dots) WHEN checked THEN nothing throws and nothing is sensitive by accident', () => {
    for (const path of ['', '[0]', '.', '..value.', 'a..b'])
      expect(() => isSensitiveAttribute('resource', 'aws_s3_bucket', path)).not.toThrow();
    expect(isSensitiveAttribute('resource', 'aws_s3_bucket', '')).toBe(false);
    expect(pathParts('a[0].b[12].c')).toEqual(['a', 'b', 'c']);
    expect(hasSecretName('provider.aws[0].secret_key')).toBe(true);
    expect(hasSecretName('provider.aws[0].region')).toBe(false);
  });
});
