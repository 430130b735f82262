// App settings are visible to anyone who can read the app's configuration: secrets go in Key Vault,
// and the setting holds a Key Vault reference that App Service resolves with the app's identity.
import { Token } from 'cdktf';

/** Settings FunctionApp writes itself. */
export const RESERVED_APP_SETTINGS = [
  'FUNCTIONS_WORKER_RUNTIME',
  'FUNCTIONS_EXTENSION_VERSION',
  'AzureWebJobsStorage',
  'APPLICATIONINSIGHTS_CONNECTION_STRING',
  'APPLICATIONINSIGHTS_AUTHENTICATION_STRING',
  'APPINSIGHTS_INSTRUMENTATIONKEY',
  'WEBSITE_CONTENTAZUREFILECONNECTIONSTRING',
  'WEBSITE_CONTENTSHARE',
  'WEBSITE_RUN_FROM_PACKAGE',
  'WEBSITE_RUN_FROM_PACKAGE_BLOB_MI_RESOURCE_ID',
];

const NAME = /^[A-Za-z0-9_.]{1,256}$/;
const SECRET_NAME =
  /(secret|password|passwd|pwd|token|api[_.-]?key|access[_.-]?key|private[_.-]?key|client[_.-]?key|connection[_.-]?string|connstr|credential|signing[_.-]?key|sas|webhook[_.-]?key)/i;
const SECRET_VALUE =
  /(AccountKey=|SharedAccessKey=|SharedAccessSignature=|Password=|Pwd=|[?&]sig=|-----BEGIN [A-Z ]*PRIVATE KEY-----|\b[sr]k_(live|test)_[A-Za-z0-9]{8,}|\bAKIA[0-9A-Z]{16}\b|\bxox[abprs]-|\bgh[pousr]_[A-Za-z0-9]{20,})/i;
const KEY_VAULT_REFERENCE =
  /^@Microsoft\.KeyVault\((SecretUri=https:\/\/[a-z0-9-]+\.vault\.azure\.net\/secrets\/[A-Za-z0-9-]+(\/[0-9a-f]{32})?\/?|VaultName=[A-Za-z0-9-]{3,24};SecretName=[A-Za-z0-9-]{1,127}(;SecretVersion=[0-9a-f]{32})?)\)$/;

export function isKeyVaultReference(value: string): boolean {
  return value.startsWith('@Microsoft.KeyVault(');
}

/**
 * Every problem of the app settings: bad names, reserved names, and secrets written as literals.
 * A secret's value never appears in a message: only its length.
 */
export function appSettingProblems(settings: Readonly<Record<string, string>>): string[] {
  const problems: string[] = [];
  for (const [name, value] of Object.entries(settings)) {
    const at = `appSettings.${name}`;
    if (!NAME.test(name)) problems.push(`${at}: names must be 1-256 letters, digits, _ or . (got ${JSON.stringify(name)})`);
    if (RESERVED_APP_SETTINGS.some((r) => name === r || name.startsWith(`${r}__`))) {
      problems.push(`${at} is set by FunctionApp (reserved: ${RESERVED_APP_SETTINGS.join(', ')})`);
    }
    if (Token.isUnresolved(value)) continue;
    if (isKeyVaultReference(value)) {
      if (!KEY_VAULT_REFERENCE.test(value)) {
        problems.push(
          `${at} must be a well-formed Key Vault reference, @Microsoft.KeyVault(VaultName=<vault>;SecretName=<name>) or @Microsoft.KeyVault(SecretUri=https://<vault>.vault.azure.net/secrets/<name>) (got ${JSON.stringify(value)})`,
        );
      }
      continue;
    }
    if (SECRET_NAME.test(name) || SECRET_VALUE.test(value)) {
      problems.push(
        `${at} looks like a secret but is a literal (got ${value.length} characters, value hidden): store it in Key Vault and set @Microsoft.KeyVault(VaultName=<vault>;SecretName=<name>)`,
      );
    }
  }
  return problems;
}

/** True when any setting is a Key Vault reference (the app's identity then needs Key Vault Secrets User). */
export function usesKeyVaultReferences(settings: Readonly<Record<string, string>>): boolean {
  return Object.values(settings).some((v) => !Token.isUnresolved(v) && isKeyVaultReference(v));
}
