// DR data on Azure: an Azure SQL failover group joining the primary site's databases to the DR site's
// server. The DR stack creates it (it applies after the primary and looks the primary's server and
// databases up by name); Azure seeds the geo-secondaries on the DR server, so the DR server holds no
// databases of its own. Both sites' functions connect through the group's read-write listener, which
// always names the current primary.
import { Construct } from 'constructs';
import { DataAzurermMssqlDatabase } from '@cdktf/provider-azurerm/lib/data-azurerm-mssql-database/index.js';
import { DataAzurermMssqlServer } from '@cdktf/provider-azurerm/lib/data-azurerm-mssql-server/index.js';
import { MssqlFailoverGroup } from '@cdktf/provider-azurerm/lib/mssql-failover-group/index.js';
import { PropProblems } from '../../core/validation.js';

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

export interface CommerceSqlFailoverGroupProps {
  /** The primary site's SQL server and its resource group (looked up: the primary stack applies first). */
  readonly primary: { readonly serverName: string; readonly resourceGroupName: string };
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
  }
}
