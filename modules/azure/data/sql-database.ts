// An Azure SQL database: TDE on, geo-redundant backups, short-term retention, optional zone redundancy.
import { Construct } from 'constructs';
import { MssqlDatabase } from '@cdktf/provider-azurerm/lib/mssql-database/index.js';
import { PropProblems } from '../../core/validation.js';
import { checkName } from '../core/names.js';

export const BACKUP_STORAGE_REDUNDANCY = ['Geo', 'GeoZone', 'Zone', 'Local'] as const;
/** SKUs whose tier can be zone redundant: Premium (DTU), General Purpose, Business Critical, Hyperscale (vCore). */
const ZONE_REDUNDANT_SKU = /^(P\d+|GP_|BC_|HS_)/;
const SKU = /^(Basic|S\d{1,2}|P\d{1,2}|(GP|GP_S|BC|HS|HS_S)_(Gen5|Gen4|DC|FSv2|M|8IM|8IH|PRMS)_\d{1,3})$/;

export interface SqlDatabaseOptions {
  /** Service objective: `Basic`, `S0`…, `P1`…, `GP_Gen5_2`, `GP_S_Gen5_1` (serverless), `BC_Gen5_2`, `HS_Gen5_2`. @default 'S0' */
  readonly skuName?: string;
  /** @default the SKU's included size */
  readonly maxSizeGb?: number;
  /** Replicas across availability zones (Premium, General Purpose, Business Critical, Hyperscale). @default false */
  readonly zoneRedundant?: boolean;
  /** Point-in-time restore window, 1-35 days (Basic: at most 7). @default 7 */
  readonly backupRetentionDays?: number;
  /** Where backups are stored: `Geo` keeps a copy in the paired region (geo-restore). @default 'GeoZone' when zone redundant, else 'Geo' */
  readonly backupStorageRedundancy?: (typeof BACKUP_STORAGE_REDUNDANCY)[number];
  /** Long-term retention as ISO 8601 durations, e.g. `{ weekly: 'P4W', monthly: 'P12M' }`. @default none */
  readonly longTermRetention?: {
    readonly weekly?: string;
    readonly monthly?: string;
    readonly yearly?: string;
    readonly weekOfYear?: number;
  };
  /** Serverless only: minutes of inactivity before the database pauses (-1 never). @default the service's default (60) */
  readonly autoPauseDelayInMinutes?: number;
  /** Terraform refuses to destroy the database (`prevent_destroy`). @default true */
  readonly preventDestroy?: boolean;
}

export interface SqlDatabaseProps extends SqlDatabaseOptions {
  readonly serverId: string;
  readonly name: string;
}

export class SqlDatabase extends Construct {
  public readonly database: MssqlDatabase;
  public readonly id: string;
  public readonly name: string;

  constructor(scope: Construct, id: string, props: SqlDatabaseProps) {
    super(scope, id);
    const sku = props.skuName ?? 'S0';
    const zoneRedundant = props.zoneRedundant ?? false;
    validate(this, props, sku, zoneRedundant);
    const ltr = props.longTermRetention;

    this.database = new MssqlDatabase(this, 'database', {
      name: props.name,
      serverId: props.serverId,
      skuName: sku,
      maxSizeGb: props.maxSizeGb,
      zoneRedundant,
      storageAccountType: props.backupStorageRedundancy ?? (zoneRedundant ? 'GeoZone' : 'Geo'),
      transparentDataEncryptionEnabled: true,
      shortTermRetentionPolicy: { retentionDays: props.backupRetentionDays ?? 7 },
      longTermRetentionPolicy:
        ltr === undefined
          ? undefined
          : { weeklyRetention: ltr.weekly, monthlyRetention: ltr.monthly, yearlyRetention: ltr.yearly, weekOfYear: ltr.weekOfYear },
      autoPauseDelayInMinutes: props.autoPauseDelayInMinutes,
      lifecycle: { preventDestroy: props.preventDestroy ?? true },
    });
    this.id = this.database.id;
    this.name = this.database.name;
  }
}

function validate(scope: Construct, props: SqlDatabaseProps, sku: string, zoneRedundant: boolean): void {
  const p = new PropProblems(scope, 'SqlDatabase');
  checkName(p, 'name', props.name, 'child');
  p.matches('skuName', sku, SKU, 'an Azure SQL service objective such as Basic, S0, P1, GP_Gen5_2, GP_S_Gen5_1, BC_Gen5_2 or HS_Gen5_2');
  p.check(
    !zoneRedundant || ZONE_REDUNDANT_SKU.test(sku),
    `zoneRedundant needs a Premium, General Purpose, Business Critical or Hyperscale sku (got skuName ${JSON.stringify(sku)})`,
  );
  p.range('backupRetentionDays', props.backupRetentionDays, 1, sku === 'Basic' ? 7 : 35);
  p.oneOf('backupStorageRedundancy', props.backupStorageRedundancy, BACKUP_STORAGE_REDUNDANCY);
  p.range('maxSizeGb', props.maxSizeGb, 1, 4096);
  p.check(
    props.autoPauseDelayInMinutes === undefined || sku.startsWith('GP_S_') || sku.startsWith('HS_S_'),
    `autoPauseDelayInMinutes needs a serverless sku (GP_S_…; got skuName ${JSON.stringify(sku)})`,
  );
  p.check(
    props.autoPauseDelayInMinutes === undefined ||
      props.autoPauseDelayInMinutes === -1 ||
      (props.autoPauseDelayInMinutes >= 15 && props.autoPauseDelayInMinutes <= 10080),
    `autoPauseDelayInMinutes must be -1 (never) or between 15 and 10080 (got ${props.autoPauseDelayInMinutes})`,
  );
  const ltr = props.longTermRetention ?? {};
  for (const key of ['weekly', 'monthly', 'yearly'] as const) {
    p.matches(`longTermRetention.${key}`, ltr[key], /^P\d{1,4}[DWMY]$/, 'an ISO 8601 duration such as P4W, P12M or P5Y');
  }
  p.range('longTermRetention.weekOfYear', ltr.weekOfYear, 1, 52);
  p.throwIfAny();
}
