// A Key Vault with RBAC authorization, purge protection and soft delete, private by default.
import { Construct } from 'constructs';
import { KeyVault as AzureKeyVault } from '@cdktf/provider-azurerm/lib/key-vault/index.js';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment/index.js';
import { isUnresolved, PropProblems } from '../../core/validation.js';
import { parseCidr } from '../../core/cidr.js';
import { checkName } from '../core/names.js';
import { checkNetworkAccess, type NetworkAccessProps } from '../core/network-access.js';
import { checkPlacement, type Placement } from '../core/placement.js';
import { PrivateEndpoint } from '../network/private-endpoint.js';

export const KEY_VAULT_ROLES = {
  secretsUser: 'Key Vault Secrets User',
  secretsOfficer: 'Key Vault Secrets Officer',
  cryptoUser: 'Key Vault Crypto User',
  certificatesOfficer: 'Key Vault Certificates Officer',
  reader: 'Key Vault Reader',
  administrator: 'Key Vault Administrator',
} as const;
export type KeyVaultRole = keyof typeof KEY_VAULT_ROLES;

export interface KeyVaultProps extends Placement, NetworkAccessProps {
  /** 3-24 letters, digits or hyphens, starting with a letter, globally unique. */
  readonly name: string;
  /** Entra ID tenant that authenticates callers. */
  readonly tenantId: string;
  /** `premium` adds HSM-backed keys. @default 'standard' */
  readonly sku?: 'standard' | 'premium';
  /** Days a deleted vault or object stays recoverable, 7-90. Purge protection keeps them for the whole period. @default 90 */
  readonly softDeleteRetentionDays?: number;
  /** With public access, only these IPv4 CIDRs may call the vault. @default none */
  readonly allowedIpRanges?: readonly string[];
}

export class KeyVault extends Construct {
  public readonly vault: AzureKeyVault;
  public readonly id: string;
  public readonly name: string;
  /** `https://<name>.vault.azure.net/` */
  public readonly vaultUri: string;
  public readonly privateEndpoint?: PrivateEndpoint;
  private readonly vaultName: string;

  constructor(scope: Construct, id: string, props: KeyVaultProps) {
    super(scope, id);
    validate(this, props);
    this.vaultName = props.name;

    this.vault = new AzureKeyVault(this, 'vault', {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      tenantId: props.tenantId,
      skuName: props.sku ?? 'standard',
      rbacAuthorizationEnabled: true,
      purgeProtectionEnabled: true,
      softDeleteRetentionDays: props.softDeleteRetentionDays ?? 90,
      publicNetworkAccessEnabled: props.allowPublicNetworkAccess ?? false,
      enabledForDeployment: false,
      enabledForDiskEncryption: false,
      enabledForTemplateDeployment: false,
      networkAcls: {
        defaultAction: 'Deny',
        bypass: 'AzureServices',
        virtualNetworkSubnetIds: props.allowedSubnetIds === undefined ? undefined : Object.values(props.allowedSubnetIds),
        ipRules: props.allowedIpRanges === undefined ? undefined : [...props.allowedIpRanges],
      },
    });
    this.id = this.vault.id;
    this.name = this.vault.name;
    this.vaultUri = this.vault.vaultUri;

    if (props.privateLink !== undefined) {
      this.privateEndpoint = new PrivateEndpoint(this, 'private-endpoint', {
        resourceGroupName: props.resourceGroupName,
        location: props.location,
        name: `${props.name}-pe`,
        targetResourceId: this.vault.id,
        subresource: 'vault',
        ...props.privateLink,
      });
    }
  }

  /** Grants `principalId` a Key Vault data role on this vault; `grantName` keys the assignment. */
  public grant(grantName: string, principalId: string, role: KeyVaultRole): RoleAssignment {
    const p = new PropProblems(this, 'KeyVault');
    p.oneOf(`grant ${grantName} role`, role, Object.keys(KEY_VAULT_ROLES) as KeyVaultRole[]);
    p.check(
      this.node.tryFindChild(`grant-${grantName}`) === undefined,
      `grant names must be unique (got ${JSON.stringify(grantName)} twice)`,
    );
    p.throwIfAny();
    return new RoleAssignment(this, `grant-${grantName}`, {
      scope: this.vault.id,
      principalId,
      roleDefinitionName: KEY_VAULT_ROLES[role],
      principalType: 'ServicePrincipal',
    });
  }

  /** An app setting value that App Service resolves from this vault: the latest version of `secretName`. */
  public secretReference(secretName: string): string {
    if (!/^[A-Za-z0-9-]{1,127}$/.test(secretName)) {
      throw new Error(
        `KeyVault ${this.node.path}: secretReference: secretName must be 1-127 letters, digits or hyphens (got ${JSON.stringify(secretName)})`,
      );
    }
    return `@Microsoft.KeyVault(VaultName=${this.vaultName};SecretName=${secretName})`;
  }
}

function validate(scope: Construct, props: KeyVaultProps): void {
  const p = new PropProblems(scope, 'KeyVault');
  checkPlacement(p, props);
  checkName(p, 'name', props.name, 'keyVault');
  checkNetworkAccess(p, props);
  p.matches(
    'tenantId',
    props.tenantId,
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
    'an Entra ID tenant id (a UUID)',
  );
  p.oneOf('sku', props.sku, ['standard', 'premium'] as const);
  p.range('softDeleteRetentionDays', props.softDeleteRetentionDays, 7, 90);
  p.check(
    props.allowedIpRanges === undefined || props.allowPublicNetworkAccess === true,
    `allowedIpRanges needs allowPublicNetworkAccess: true (got ${JSON.stringify(props.allowedIpRanges)})`,
  );
  for (const cidr of props.allowedIpRanges ?? []) {
    p.check(
      isUnresolved(cidr) || parseCidr(cidr) !== undefined,
      `allowedIpRanges must hold canonical IPv4 CIDRs (got ${JSON.stringify(cidr)})`,
    );
  }
  p.throwIfAny();
}
