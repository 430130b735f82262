// A StorageV2 account: HTTPS and TLS 1.2 only, no public blobs, no shared keys, private by default.
import { Construct } from 'constructs';
import { StorageAccount as AzureStorageAccount } from '@cdktf/provider-azurerm/lib/storage-account/index.js';
import { StorageContainer } from '@cdktf/provider-azurerm/lib/storage-container/index.js';
import { PropProblems } from '../../core/validation.js';
import { checkName } from '../core/names.js';
import { checkNetworkAccess, type NetworkAccessProps } from '../core/network-access.js';
import { checkPlacement, type Placement } from '../core/placement.js';
import { PrivateEndpoint } from '../network/private-endpoint.js';

export const STORAGE_REPLICATION = ['LRS', 'ZRS', 'GRS', 'GZRS', 'RAGRS', 'RAGZRS'] as const;
export const STORAGE_PRIVATE_LINK_SUBRESOURCES = ['blob', 'queue', 'table', 'file'] as const;
export type StorageSubresource = (typeof STORAGE_PRIVATE_LINK_SUBRESOURCES)[number];

export interface StorageAccountProps extends Placement, NetworkAccessProps {
  /** 3-24 lowercase letters or digits, globally unique. */
  readonly name: string;
  /** @default 'ZRS' (survives a zone outage); 'GZRS' also survives a region outage */
  readonly replication?: (typeof STORAGE_REPLICATION)[number];
  /** Sub-resources that get a private endpoint when `privateLink` is set. @default ['blob'] */
  readonly privateLinkSubresources?: readonly StorageSubresource[];
  /**
   * Accept account keys and SAS tokens signed with them. @default false: Entra ID only (the azurerm
   * provider then needs `storage_use_azuread = true`)
   */
  readonly allowSharedKeyAccess?: boolean;
  /** Days deleted blobs and previous versions stay restorable. @default 7 */
  readonly blobSoftDeleteDays?: number;
  /** Days deleted containers stay restorable. @default 7 */
  readonly containerSoftDeleteDays?: number;
  /** Private blob containers to create, by name. @default none */
  readonly containers?: readonly string[];
}

export class StorageAccount extends Construct {
  public readonly account: AzureStorageAccount;
  public readonly id: string;
  public readonly name: string;
  public readonly primaryBlobEndpoint: string;
  /** Containers by name. */
  public readonly containers: Readonly<Record<string, StorageContainer>>;
  /** Private endpoints by sub-resource. */
  public readonly privateEndpoints: Readonly<Partial<Record<StorageSubresource, PrivateEndpoint>>>;

  constructor(scope: Construct, id: string, props: StorageAccountProps) {
    super(scope, id);
    const subresources = props.privateLinkSubresources ?? ['blob'];
    validate(this, props, subresources);
    const publicAccess = props.allowPublicNetworkAccess ?? false;

    this.account = new AzureStorageAccount(this, 'account', {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      accountKind: 'StorageV2',
      accountTier: 'Standard',
      accountReplicationType: props.replication ?? 'ZRS',
      accessTier: 'Hot',
      httpsTrafficOnlyEnabled: true,
      minTlsVersion: 'TLS1_2',
      allowNestedItemsToBePublic: false,
      sharedAccessKeyEnabled: props.allowSharedKeyAccess ?? false,
      defaultToOauthAuthentication: true,
      infrastructureEncryptionEnabled: true,
      crossTenantReplicationEnabled: false,
      localUserEnabled: false,
      sftpEnabled: false,
      publicNetworkAccessEnabled: publicAccess,
      networkRules: {
        defaultAction: 'Deny',
        bypass: ['AzureServices'],
        virtualNetworkSubnetIds: props.allowedSubnetIds === undefined ? undefined : Object.values(props.allowedSubnetIds),
      },
      blobProperties: {
        versioningEnabled: true,
        changeFeedEnabled: false,
        deleteRetentionPolicy: { days: props.blobSoftDeleteDays ?? 7 },
        containerDeleteRetentionPolicy: { days: props.containerSoftDeleteDays ?? 7 },
      },
    });
    this.id = this.account.id;
    this.name = this.account.name;
    this.primaryBlobEndpoint = this.account.primaryBlobEndpoint;

    const containers: Record<string, StorageContainer> = {};
    for (const name of props.containers ?? []) {
      containers[name] = new StorageContainer(this, `container-${name}`, {
        name,
        storageAccountId: this.account.id,
        containerAccessType: 'private',
      });
    }
    this.containers = containers;

    const endpoints: Partial<Record<StorageSubresource, PrivateEndpoint>> = {};
    if (props.privateLink !== undefined) {
      for (const subresource of subresources) {
        endpoints[subresource] = new PrivateEndpoint(this, `private-endpoint-${subresource}`, {
          resourceGroupName: props.resourceGroupName,
          location: props.location,
          name: `${props.name}-${subresource}-pe`,
          targetResourceId: this.account.id,
          subresource,
          ...props.privateLink,
        });
      }
    }
    this.privateEndpoints = endpoints;
  }
}

function validate(scope: Construct, props: StorageAccountProps, subresources: readonly string[]): void {
  const p = new PropProblems(scope, 'StorageAccount');
  checkPlacement(p, props);
  checkName(p, 'name', props.name, 'storageAccount');
  checkNetworkAccess(p, props);
  p.oneOf('replication', props.replication, STORAGE_REPLICATION);
  for (const s of subresources) p.oneOf('privateLinkSubresources', s, STORAGE_PRIVATE_LINK_SUBRESOURCES);
  p.check(
    props.privateLinkSubresources === undefined || props.privateLink !== undefined,
    `privateLinkSubresources needs privateLink (got ${JSON.stringify(props.privateLinkSubresources)} without privateLink)`,
  );
  p.range('blobSoftDeleteDays', props.blobSoftDeleteDays, 1, 365);
  p.range('containerSoftDeleteDays', props.containerSoftDeleteDays, 1, 365);
  const seen = new Set<string>();
  for (const name of props.containers ?? []) {
    p.matches('containers', name, /^(?!.*--)[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/, '3-63 lowercase letters, digits or single hyphens');
    p.check(!seen.has(name), `containers must be unique (got ${JSON.stringify(name)} twice)`);
    seen.add(name);
  }
  p.throwIfAny();
}
