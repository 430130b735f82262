import { TerraformVariable } from 'cdktf';
import { stack } from '../../../test/modules/azure-synth.js';
import { appSettingProblems, usesKeyVaultReferences } from './app-settings.js';

describe('appSettingProblems', () => {
  test('GIVEN plain settings and Key Vault references WHEN checked THEN there is no problem', () => {
    expect(
      appSettingProblems({
        SQL_DATABASE: 'Transactions',
        ServiceBus__fullyQualifiedNamespace: 'bus.servicebus.windows.net',
        STRIPE_API_KEY: '@Microsoft.KeyVault(VaultName=kv-commerce;SecretName=stripe-api-key)',
        PAYPAL_CLIENT_SECRET:
          '@Microsoft.KeyVault(SecretUri=https://kv-commerce.vault.azure.net/secrets/paypal/0123456789abcdef0123456789abcdef)',
      }),
    ).toEqual([]);
  });

  test.each([
    ['STRIPE_API_KEY', 'sk_live_abcdefghijklmnop'],
    ['DB_PASSWORD', 'correct horse'],
    ['SMS_AUTH_TOKEN', 'x'],
    ['STORAGE', 'DefaultEndpointsProtocol=https;AccountName=a;AccountKey=abc123=='],
    ['BUS', 'Endpoint=sb://bus/;SharedAccessKeyName=root;SharedAccessKey=abc='],
    ['AWS', 'AKIAABCDEFGHIJKLMNOP'],
    ['BLOB_URL', 'https://a.blob.core.windows.net/c?sv=2024&sig=abc'],
  ])('GIVEN %s as a literal secret WHEN checked THEN it is refused and the value never appears in the message', (name, value) => {
    const problems = appSettingProblems({ [name]: value });
    expect(problems).toEqual([
      `appSettings.${name} looks like a secret but is a literal (got ${value.length} characters, value hidden): store it in Key Vault and set @Microsoft.KeyVault(VaultName=<vault>;SecretName=<name>)`,
    ]);
    expect(problems.join()).not.toContain(value);
  });

  test('GIVEN a secret-named setting that is a Terraform reference WHEN checked THEN it is left to the reference', () => {
    const variable = new TerraformVariable(stack(), 'v', { type: 'string' });
    expect(appSettingProblems({ API_KEY: variable.stringValue })).toEqual([]);
  });

  test('GIVEN reserved, malformed names and a broken reference WHEN checked THEN each is named', () => {
    expect(
      appSettingProblems({
        FUNCTIONS_WORKER_RUNTIME: 'node',
        AzureWebJobsStorage__accountName: 'x',
        'my-setting': 'x',
        TOKEN: '@Microsoft.KeyVault(VaultName=kv;SecretName=x)',
      }),
    ).toEqual([
      expect.stringContaining('appSettings.FUNCTIONS_WORKER_RUNTIME is set by FunctionApp (reserved: '),
      expect.stringContaining('appSettings.AzureWebJobsStorage__accountName is set by FunctionApp'),
      'appSettings.my-setting: names must be 1-256 letters, digits, _ or . (got "my-setting")',
      'appSettings.TOKEN must be a well-formed Key Vault reference, @Microsoft.KeyVault(VaultName=<vault>;SecretName=<name>) or @Microsoft.KeyVault(SecretUri=https://<vault>.vault.azure.net/secrets/<name>) (got "@Microsoft.KeyVault(VaultName=kv;SecretName=x)")',
    ]);
  });

  test('GIVEN settings WHEN asked THEN Key Vault reference use is detected', () => {
    expect(usesKeyVaultReferences({ A: '@Microsoft.KeyVault(VaultName=kv-commerce;SecretName=x)' })).toBe(true);
    expect(usesKeyVaultReferences({ A: 'plain' })).toBe(false);
  });
});
