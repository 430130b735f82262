// The props of CommerceAzure: where it runs, its network, the environment file's knobs and the AWS side.
import type { SqlAdministrator } from '../../azure/data/sql-server.js';
import type { AlarmDestinations } from '../../../environments/schema.js';
import type { SystemSettings } from '../settings.js';
import type { SqlFailoverGroupNames } from './azure-failover-group.js';

/** The Azure SQL failover group a site takes part in. */
export interface CommerceSqlFailover {
  readonly names: SqlFailoverGroupNames;
  /**
   * The DR site only: the primary's server to join. This site then creates the group, and its own server holds
   * only the geo-secondaries Azure seeds. @default the group is created by the other site (the functions use its listener only)
   */
  readonly primary?: {
    readonly serverName: string;
    readonly resourceGroupName: string;
    /** The primary's location and VNet: with private endpoints, this site's server gets one there too. */
    readonly location: string;
    readonly networkName: string;
  };
  /** Minutes of outage before the automatic failover. */
  readonly graceMinutes: number;
}

export interface CommerceAzureProps {
  /** Prefix of every resource name, e.g. `commerce-prod` (add the location for a DR copy). */
  readonly prefix: string;
  /** Azure location, e.g. `westeurope`. */
  readonly location: string;
  /** The system's /20 in this region: functions, private endpoints and the gateway subnet are carved from it. */
  readonly cidr: string;
  /** The commerce knobs from the environment file, defaults applied. */
  readonly settings: SystemSettings['commerce'];
  readonly tenantId: string;
  /** The Entra ID group that administers Azure SQL (SQL logins are off). */
  readonly sqlAdministrator: SqlAdministrator;
  /** The AWS side of the VPN: each tunnel's outside address keyed by tunnel name, and the AWS VPC CIDR. */
  readonly aws: { readonly tunnels: Readonly<Record<string, string>>; readonly cidr: string };
  /**
   * Where alerts go: e-mail and HTTPS receivers by name (the system's own action group) and an existing
   * action group notified too. @default no alerts
   */
  readonly alerts?: Pick<AlarmDestinations, 'email' | 'https' | 'actionGroupId'>;
  /** Suffix of the globally unique names. @default 6 hex characters hashed from tenantId, prefix and location */
  readonly nameSuffix?: string;
  /**
   * Object id of the Entra ID service principal the AWS side signs in as: it gets Service Bus Data Sender on
   * the queues AWS sends to and Data Receiver on the queues AWS receives from (COMMERCE_QUEUES).
   * @default no access for the AWS side
   */
  readonly awsPrincipalId?: string;
  /**
   * The SQL failover group: the functions connect to its listener, and a DR site creates it.
   * @default none: the functions connect to this site's server
   */
  readonly sqlFailover?: CommerceSqlFailover;
  /** A name Front Door answers too (managed certificate): the shop API's name when DNS fails over to Azure. @default none */
  readonly frontDoorDomain?: string;
  /** Plain (non-secret) settings every function app gets, e.g. the JWT issuer and the AWS API's URL. @default none */
  readonly sharedAppSettings?: Readonly<Record<string, string>>;
}
