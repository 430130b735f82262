// DR data on Azure: an Azure SQL failover group joining the primary site's databases to the DR site's
// server. The DR stack creates it (it applies after the primary and looks the primary's server and
// databases up by name); Azure seeds the geo-secondaries on the DR server, so the DR server holds no
// databases of its own. Both sites' functions connect through the group's read-write listener, which
// always names the current primary.
import { Construct } from 'constructs';
import { DataAzurermMssqlDatabase } from '@cdktf/provider-azurerm/lib/data-azurerm-mssql-database/index.js';
import { DataAzurermMssqlServer } from '@cdktf/provider-azurerm/lib/data-azurerm-mssql-server/index.js';
import { DataAzurermPrivateDnsZone } from '@cdktf/provider-azurerm/lib/data-azurerm-private-dns-zone/index.js';
import { DataAzurermSubnet } from '@cdktf/provider-azurerm/lib/data-azurerm-subnet/index.js';
import { MssqlFailoverGroup } from '@cdktf/provider-azurerm/lib/mssql-failover-group/index.js';
import { PropProblems } from '../../core/validation.js';
import { PrivateEndpoint, type PrivateLinkOptions } from '../../azure/network/private-endpoint.js';
import { PRIVATE_DNS_ZONE_NAMES } from '../../azure/network/private-dns-zones.js';

/** The failover group of a primary SQL server: its name (a global DNS label) and the listener functions connect to. */
export interface SqlFailoverGroupNames {
  readonly name: string;
  /** `<name>.database.windows.net`: the read-write listener. */
  readonly listener: string;
}

/** Named after the primary's server, so both sites derive it without reading the other's state. */
export function sqlFailoverGroupNames(primarySqlServerName: string): SqlFailoverGroupNames {
  const name = `${primarySqlServerName}-fg`;
  return { name, listener: `${name}.database.windows.net` };
}

/** Where the primary site keeps its private endpoints: its resource group, location, VNet and subnet. */
export interface PrimaryPrivateNetwork {
  readonly location: string;
  readonly networkName: string;
  /** The subnet of the primary's private endpoints. */
  readonly subnetName: string;
}

export interface CommerceSqlFailoverGroupProps {
  /** The primary site's SQL server and its resource group (looked up: the primary stack applies first). */
  readonly primary: { readonly serverName: string; readonly resourceGroupName: string };
  /**
   * With private endpoints: each site's VNet reaches only its own server, so whichever server is primary
   * must answer in both. This site gets an endpoint of the primary's server (`here`, this site's DNS zones),
   * the primary's VNet an endpoint of this site's server (registered in the primary's zone, looked up).
   * @default none: the servers are reached over their public endpoints
   */
  readonly privateLink?: {
    readonly here: PrivateLinkOptions & { readonly resourceGroupName: string; readonly location: string; readonly name: string };
    readonly primary: PrimaryPrivateNetwork & { readonly name: string };
  };
  /** The DR site's SQL server: the partner that receives the geo-secondaries. */
  readonly partnerServerId: string;
  /** The primary's databases to replicate. */
  readonly databases: readonly string[];
  /** Minutes of primary outage before Azure fails over by itself (60 or more: Azure's minimum for automatic mode). */
  readonly graceMinutes: number;
}

export class CommerceSqlFailoverGroup extends Construct {
  public readonly group: MssqlFailoverGroup;
  public readonly names: SqlFailoverGroupNames;

  constructor(scope: Construct, id: string, props: CommerceSqlFailoverGroupProps) {
    super(scope, id);
    const p = new PropProblems(this, 'CommerceSqlFailoverGroup');
    p.range('graceMinutes', props.graceMinutes, 60, 1440);
    p.check(props.databases.length > 0, 'databases must name at least one database of the primary server (got none)');
    p.throwIfAny();

    this.names = sqlFailoverGroupNames(props.primary.serverName);
    const primary = new DataAzurermMssqlServer(this, 'primary-server', {
      name: props.primary.serverName,
      resourceGroupName: props.primary.resourceGroupName,
    });
    const databases = props.databases.map(
      (name) => new DataAzurermMssqlDatabase(this, `primary-${name.toLowerCase()}`, { name, serverId: primary.id }),
    );
    this.group = new MssqlFailoverGroup(this, 'group', {
      name: this.names.name,
      serverId: primary.id,
      partnerServer: [{ id: props.partnerServerId }],
      databases: databases.map((db) => db.id),
      // Automatic after the grace period: a regional outage fails over without someone awake; the grace
      // period bounds the writes that may be lost (geo-replication is asynchronous).
      readWriteEndpointFailoverPolicy: { mode: 'Automatic', graceMinutes: props.graceMinutes },
      readonlyEndpointFailoverPolicyEnabled: true,
    });
    if (props.privateLink !== undefined) this.crossSiteEndpoints(props, primary.id);
  }

  /** The primary's server in this site's VNet, this site's server in the primary's VNet. */
  private crossSiteEndpoints(props: CommerceSqlFailoverGroupProps, primaryServerId: string): void {
    const { here, primary } = props.privateLink!;
    new PrivateEndpoint(this, 'primary-server-here', {
      name: here.name,
      resourceGroupName: here.resourceGroupName,
      location: here.location,
      subnetId: here.subnetId,
      dnsZones: here.dnsZones,
      targetResourceId: primaryServerId,
      subresource: 'sqlServer',
    });
    const subnet = new DataAzurermSubnet(this, 'primary-subnet', {
      name: primary.subnetName,
      virtualNetworkName: primary.networkName,
      resourceGroupName: props.primary.resourceGroupName,
    });
    const zone = new DataAzurermPrivateDnsZone(this, 'primary-sql-zone', {
      name: PRIVATE_DNS_ZONE_NAMES.sqlServer,
      resourceGroupName: props.primary.resourceGroupName,
    });
    new PrivateEndpoint(this, 'partner-server-in-primary', {
      name: primary.name,
      resourceGroupName: props.primary.resourceGroupName,
      location: primary.location,
      subnetId: subnet.id,
      dnsZones: { zoneId: () => zone.id },
      targetResourceId: props.partnerServerId,
      subresource: 'sqlServer',
    });
  }
}
