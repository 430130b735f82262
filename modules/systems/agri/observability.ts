// The seed's metrics stack (Prometheus and Grafana) as managed services: an Amazon Managed Service
// for Prometheus workspace (KMS-encrypted, its rule and alert-manager logs in CloudWatch) that the
// tiers' task roles may remote-write to, and optionally an Amazon Managed Grafana workspace (sign-in
// through IAM Identity Center) whose role may query that workspace and read CloudWatch. The seed's
// ELK logging maps to the CloudWatch log groups and Logs Insights queries the stack already has.
import { Construct } from 'constructs';
import { GrafanaWorkspace } from '@cdktf/provider-aws/lib/grafana-workspace/index.js';
import { PrometheusWorkspace } from '@cdktf/provider-aws/lib/prometheus-workspace/index.js';
import { PropProblems } from '../../core/validation.js';
import { LogGroup } from '../../aws/observability/log-group.js';
import { awsAccountContext } from '../../aws/security/account.js';
import { ServiceRole } from '../../aws/security/iam.js';

export interface AgriObservabilityProps {
  readonly prefix: string;
  /** Encrypts the workspace and its log group. */
  readonly kmsKeyArn: string;
  readonly logRetentionDays: number;
  /** Build the Grafana workspace too (IAM Identity Center must be enabled in the account). @default false */
  readonly grafana?: boolean;
}

/** What the Grafana role may ask the Prometheus workspace (query only, never write). */
export const PROMETHEUS_QUERY_ACTIONS = [
  'aps:QueryMetrics',
  'aps:GetSeries',
  'aps:GetLabels',
  'aps:GetMetricMetadata',
  'aps:DescribeWorkspace',
];

export class AgriObservability extends Construct {
  public readonly workspace: PrometheusWorkspace;
  public readonly logGroup: LogGroup;
  /** Where Prometheus remote-write (SigV4-signed) sends samples. */
  public readonly remoteWriteUrl: string;
  public readonly grafana?: GrafanaWorkspace;
  public readonly grafanaRole?: ServiceRole;

  constructor(scope: Construct, id: string, props: AgriObservabilityProps) {
    super(scope, id);
    new PropProblems(this, 'AgriObservability')
      .matches('prefix', props.prefix, /^[a-z][a-z0-9-]{0,62}$/, 'lowercase letters, digits and dashes')
      .throwIfAny();
    this.logGroup = new LogGroup(this, 'logs', {
      name: `/aws/vendedlogs/prometheus/${props.prefix}`,
      retentionInDays: props.logRetentionDays,
      kmsKeyArn: props.kmsKeyArn,
    });
    this.workspace = new PrometheusWorkspace(this, 'workspace', {
      alias: props.prefix,
      kmsKeyArn: props.kmsKeyArn,
      loggingConfiguration: { logGroupArn: `${this.logGroup.arn}:*` },
    });
    this.remoteWriteUrl = `${this.workspace.prometheusEndpoint}api/v1/remote_write`;

    if (props.grafana) {
      const partition = awsAccountContext(this).partition;
      this.grafanaRole = new ServiceRole(this, 'grafana-role', {
        service: 'grafana.amazonaws.com',
        description: `${props.prefix}: Grafana reads the Prometheus workspace and CloudWatch`,
        managedPolicyArns: [`arn:${partition}:iam::aws:policy/service-role/AmazonGrafanaCloudWatchAccess`],
      });
      this.grafanaRole.addStatements({ sid: 'QueryPrometheus', actions: PROMETHEUS_QUERY_ACTIONS, resources: [this.workspace.arn] });
      this.grafana = new GrafanaWorkspace(this, 'grafana', {
        name: props.prefix,
        description: `${props.prefix}: crop analytics dashboards (Prometheus and CloudWatch)`,
        accountAccessType: 'CURRENT_ACCOUNT',
        authenticationProviders: ['AWS_SSO'],
        permissionType: 'CUSTOMER_MANAGED',
        roleArn: this.grafanaRole.arn,
        dataSources: ['PROMETHEUS', 'CLOUDWATCH'],
      });
    }
  }

  /** Lets `role` remote-write samples into the workspace (and nothing else there). */
  allowRemoteWrite(role: ServiceRole): void {
    role.addStatements({ sid: 'RemoteWriteMetrics', actions: ['aps:RemoteWrite'], resources: [this.workspace.arn] });
  }
}
