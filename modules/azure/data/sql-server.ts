// An Azure SQL logical server: Entra ID-only authentication, private, TLS 1.2, audited to Log Analytics,
// with threat detection and vulnerability assessment on.
import { Construct } from 'constructs';
import { MssqlServer } from '@cdktf/provider-azurerm/lib/mssql-server/index.js';
import { MssqlServerExtendedAuditingPolicy } from '@cdktf/provider-azurerm/lib/mssql-server-extended-auditing-policy/index.js';
import { MssqlServerSecurityAlertPolicy } from '@cdktf/provider-azurerm/lib/mssql-server-security-alert-policy/index.js';
import { MssqlVirtualNetworkRule } from '@cdktf/provider-azurerm/lib/mssql-virtual-network-rule/index.js';
import { PropProblems } from '../../core/validation.js';
import { checkName } from '../core/names.js';
import { checkNetworkAccess, type NetworkAccessProps } from '../core/network-access.js';
import { checkPlacement, type Placement } from '../core/placement.js';
import { PrivateEndpoint } from '../network/private-endpoint.js';
import { DiagnosticSetting } from '../observability/diagnostic-setting.js';
import { SqlDatabase, type SqlDatabaseOptions } from './sql-database.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export interface SqlAdministrator {
  /** Display name of the Entra ID group (or user) that administers the server. */
  readonly loginUsername: string;
  /** Object id of that group. */
  readonly objectId: string;
  /** @default the provider's tenant */
  readonly tenantId?: string;
}

export interface SqlServerProps extends Placement, NetworkAccessProps {
  /** 1-63 lowercase letters, digits or hyphens, globally unique. */
  readonly name: string;
  /** The Entra ID administrator: SQL logins are disabled (`azuread_authentication_only`). */
  readonly administrator: SqlAdministrator;
  /** Audit events (SQLSecurityAuditEvents of every database) go to this workspace. */
  readonly auditWorkspaceId: string;
  /** Who gets threat-detection alerts besides the subscription admins. @default none */
  readonly alertEmails?: readonly string[];
  /** Let the server call out (e.g. to storage for audit files or to REST endpoints). @default false: outbound is blocked */
  readonly allowOutboundNetworkAccess?: boolean;
  /** Databases keyed by name. @default none; add more with `addDatabase` */
  readonly databases?: Readonly<Record<string, SqlDatabaseOptions>>;
}

export class SqlServer extends Construct {
  public readonly server: MssqlServer;
  public readonly id: string;
  public readonly name: string;
  /** `<name>.database.windows.net` (resolves to the private endpoint inside linked VNets). */
  public readonly fullyQualifiedDomainName: string;
  /** The server's managed identity (principal id). */
  public readonly principalId: string;
  public readonly auditingPolicy: MssqlServerExtendedAuditingPolicy;
  public readonly privateEndpoint?: PrivateEndpoint;
  private readonly databaseMap: Record<string, SqlDatabase> = {};

  constructor(scope: Construct, id: string, props: SqlServerProps) {
    super(scope, id);
    validate(this, props);

    this.server = new MssqlServer(this, 'server', {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      version: '12.0',
      minimumTlsVersion: '1.2',
      publicNetworkAccessEnabled: props.allowPublicNetworkAccess ?? false,
      outboundNetworkRestrictionEnabled: props.allowOutboundNetworkAccess !== true,
      expressVulnerabilityAssessmentEnabled: true,
      azureadAdministrator: {
        loginUsername: props.administrator.loginUsername,
        objectId: props.administrator.objectId,
        tenantId: props.administrator.tenantId,
        azureadAuthenticationOnly: true,
      },
      identity: { type: 'SystemAssigned' },
    });
    this.id = this.server.id;
    this.name = this.server.name;
    this.fullyQualifiedDomainName = this.server.fullyQualifiedDomainName;
    this.principalId = this.server.identity.principalId;

    // Server-level auditing to Log Analytics: the policy turns it on, the master database's diagnostic
    // setting carries the events (that is how Azure routes server audit logs to a workspace).
    const audit = new DiagnosticSetting(this, 'audit-logs', {
      name: 'sql-audit',
      targetResourceId: `${this.server.id}/databases/master`,
      workspaceId: props.auditWorkspaceId,
      logs: { categories: ['SQLSecurityAuditEvents'] },
      metrics: [],
    });
    this.auditingPolicy = new MssqlServerExtendedAuditingPolicy(this, 'auditing', {
      serverId: this.server.id,
      enabled: true,
      logMonitoringEnabled: true,
      dependsOn: [audit.setting],
    });
    new MssqlServerSecurityAlertPolicy(this, 'threat-detection', {
      resourceGroupName: props.resourceGroupName,
      serverName: this.server.name,
      state: 'Enabled',
      emailAccountAdmins: true,
      emailAddresses: props.alertEmails === undefined ? undefined : [...props.alertEmails],
    });

    for (const [ruleName, subnetId] of Object.entries(props.allowedSubnetIds ?? {})) {
      new MssqlVirtualNetworkRule(this, `subnet-${ruleName}`, { name: ruleName, serverId: this.server.id, subnetId });
    }
    if (props.privateLink !== undefined) {
      this.privateEndpoint = new PrivateEndpoint(this, 'private-endpoint', {
        resourceGroupName: props.resourceGroupName,
        location: props.location,
        name: `${props.name}-pe`,
        targetResourceId: this.server.id,
        subresource: 'sqlServer',
        ...props.privateLink,
      });
    }
    for (const [name, options] of Object.entries(props.databases ?? {})) this.addDatabase(name, options);
  }

  /** Databases by name. */
  public get databases(): Readonly<Record<string, SqlDatabase>> {
    return { ...this.databaseMap };
  }

  /** Adds a database named `name` (its construct id is the name). */
  public addDatabase(name: string, options: SqlDatabaseOptions = {}): SqlDatabase {
    if (name in this.databaseMap)
      throw new Error(`SqlServer ${this.node.path}: addDatabase: database names must be unique (got ${JSON.stringify(name)} twice)`);
    const database = new SqlDatabase(this, `database-${name}`, { ...options, name, serverId: this.server.id });
    this.databaseMap[name] = database;
    return database;
  }
}

function validate(scope: Construct, props: SqlServerProps): void {
  const p = new PropProblems(scope, 'SqlServer');
  checkPlacement(p, props);
  checkName(p, 'name', props.name, 'sqlServer');
  checkNetworkAccess(p, props);
  p.matches(
    'administrator.loginUsername',
    props.administrator.loginUsername,
    /^[^\s].{0,127}$/,
    '1-128 characters, not starting with a space',
  );
  p.matches('administrator.objectId', props.administrator.objectId, UUID, 'an Entra ID object id (a UUID)');
  p.matches('administrator.tenantId', props.administrator.tenantId, UUID, 'an Entra ID tenant id (a UUID)');
  for (const email of props.alertEmails ?? []) p.matches('alertEmails', email, /^[^@\s]+@[^@\s]+\.[^@\s]+$/, 'e-mail addresses');
  for (const name of Object.keys(props.allowedSubnetIds ?? {})) {
    p.matches('allowedSubnetIds', name, /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/, 'keyed by rule names of 1-64 letters, digits, _ . or -');
  }
  p.throwIfAny();
}
