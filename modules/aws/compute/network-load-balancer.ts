// A network load balancer: internal by default, cross-zone, TCP/TLS listeners keyed by name,
// deletion protection on, access logs (which AWS writes for TLS listeners only) and its own security
// group. Without a group, IP targets must admit the whole VPC CIDR (client IP preservation is off behind
// TLS), so anything in the VPC could reach them and the listeners; with one, targets admit the group.
import { Construct } from 'constructs';
import { Lb } from '@cdktf/provider-aws/lib/lb/index.js';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener/index.js';
import type { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group/index.js';
import { PropProblems } from '../../core/validation.js';
import { SecurityGroup, type SecurityGroupRule } from '../network/security-group.js';
import type { SecureBucket } from '../data/s3-bucket.js';
import { DEFAULT_TLS_POLICY, TLS12_POLICIES } from './application-load-balancer.js';
import {
  type AccessLogsDestination,
  accessLogsDestination,
  checkAccessLogs,
  checkTargetGroups,
  createTargetGroups,
  logDeliverySid,
  NLB_TARGET_PROTOCOLS,
  nlbLogDeliveryStatements,
  type TargetGroupSpec,
} from './load-balancer-parts.js';

export interface NlbListenerSpec {
  readonly port: number;
  /** @default 'TLS' when certificateArn is given, else 'TCP' */
  readonly protocol?: 'TCP' | 'TLS' | 'UDP' | 'TCP_UDP';
  /** Key of the target group this listener forwards to. */
  readonly targetGroup: string;
  /** ACM certificate; required for (and only for) TLS listeners. */
  readonly certificateArn?: string;
  /** TLS listeners only; one of TLS12_POLICIES. @default 'ELBSecurityPolicy-TLS13-1-2-2021-06' */
  readonly sslPolicy?: string;
}

export interface NetworkLoadBalancerProps {
  /** 1-32 lowercase letters, digits and `-`. */
  readonly name: string;
  /** VPC of the target groups. */
  readonly vpcId: string;
  readonly subnetIds: readonly string[];
  /** @default false: internal (what API Gateway VPC links and PrivateLink services need) */
  readonly internetFacing?: boolean;
  /** Listeners by name. */
  readonly listeners: Record<string, NlbListenerSpec>;
  /** Target groups by name. */
  readonly targetGroups: Record<string, TargetGroupSpec>;
  /**
   * Security groups on the load balancer instead of the one the construct creates. A load balancer
   * created without a group can never get one (and one created with groups can never lose them).
   * @default a new group (`securityGroup`): PrivateLink traffic and `ingress` in, only what `allowToTargets` adds out
   */
  readonly securityGroupIds?: readonly string[];
  /** Who may reach the listeners, besides PrivateLink traffic; the construct's own group only. @default nobody else */
  readonly ingress?: readonly SecurityGroupRule[];
  /**
   * Whether PrivateLink traffic (API Gateway VPC links, endpoint services) must also match an `ingress`
   * rule; the construct's own group only. A VPC link's addresses are not yours to name, so `true`
   * shuts VPC links out unless `ingress` admits them.
   * @default false: PrivateLink traffic reaches the listeners without an ingress rule
   */
  readonly filterPrivateLinkTraffic?: boolean;
  /** @default true */
  readonly deletionProtection?: boolean;
  /** @default a new SecureBucket (SSE-S3), force-destroyable only when deletionProtection is false */
  readonly accessLogs?: AccessLogsDestination;
  /** Days the created access-log bucket keeps logs. @default 365 */
  readonly accessLogRetentionDays?: number;
}

export class NetworkLoadBalancer extends Construct {
  public readonly loadBalancer: Lb;
  public readonly arn: string;
  public readonly arnSuffix: string;
  public readonly dnsName: string;
  public readonly zoneId: string;
  public readonly listeners: Record<string, LbListener> = {};
  public readonly targetGroups: Record<string, LbTargetGroup>;
  public readonly targetGroupArns: Record<string, string>;
  public readonly accessLogsBucket: SecureBucket;
  /** The group the construct created; undefined when `securityGroupIds` was given. */
  public readonly securityGroup?: SecurityGroup;
  /** The groups on the load balancer: what its targets' groups admit. */
  public readonly securityGroupIds: string[];

  constructor(scope: Construct, id: string, props: NetworkLoadBalancerProps) {
    super(scope, id);
    validate(this, props);
    const deletionProtection = props.deletionProtection ?? true;

    const logs = accessLogsDestination(this, props.name, props.accessLogs, props.accessLogRetentionDays ?? 365, !deletionProtection);
    this.accessLogsBucket = logs.bucket;
    for (const statement of nlbLogDeliveryStatements(this, logDeliverySid('Nlb', props.name), logs.bucket.arn, logs.prefix)) {
      logs.bucket.addToResourcePolicy(statement);
    }

    if (props.securityGroupIds === undefined) {
      this.securityGroup = new SecurityGroup(this, 'security-group', {
        vpcId: props.vpcId,
        description: `NLB ${props.name}: PrivateLink traffic and named sources in, only to its targets out`,
        ingress: props.ingress,
      });
    }
    this.securityGroupIds = this.securityGroup ? [this.securityGroup.securityGroupId] : [...(props.securityGroupIds ?? [])];

    this.loadBalancer = new Lb(this, 'load-balancer', {
      name: props.name,
      loadBalancerType: 'network',
      internal: !(props.internetFacing ?? false),
      subnets: [...props.subnetIds],
      securityGroups: this.securityGroupIds,
      enforceSecurityGroupInboundRulesOnPrivateLinkTraffic: this.securityGroup && (props.filterPrivateLinkTraffic ? 'on' : 'off'),
      enableCrossZoneLoadBalancing: true,
      enableDeletionProtection: deletionProtection,
      accessLogs: { bucket: logs.bucket.bucketName, prefix: logs.prefix, enabled: true },
      tags: { Name: props.name },
      dependsOn: [logs.bucket.policy],
    });
    this.arn = this.loadBalancer.arn;
    this.arnSuffix = this.loadBalancer.arnSuffix;
    this.dnsName = this.loadBalancer.dnsName;
    this.zoneId = this.loadBalancer.zoneId;

    this.targetGroups = createTargetGroups(this, props.name, props.vpcId, props.targetGroups, 'TCP');
    this.targetGroupArns = Object.fromEntries(Object.entries(this.targetGroups).map(([name, group]) => [name, group.arn]));

    for (const [name, listener] of Object.entries(props.listeners)) {
      const protocol = listenerProtocol(listener);
      this.listeners[name] = new LbListener(this, `listener-${name}`, {
        loadBalancerArn: this.arn,
        port: listener.port,
        protocol,
        certificateArn: listener.certificateArn,
        sslPolicy: protocol === 'TLS' ? (listener.sslPolicy ?? DEFAULT_TLS_POLICY) : undefined,
        defaultAction: [{ type: 'forward', targetGroupArn: this.targetGroupArns[listener.targetGroup] }],
      });
    }
  }

  /**
   * Opens the path to targets in `targets` on `port`, both ways: an egress rule `to-<name>` on the
   * construct's own group, and an ingress rule `from-<this construct's id>` on `targets` admitting it.
   */
  allowToTargets(name: string, targets: SecurityGroup, port: number): void {
    if (this.securityGroup === undefined) {
      throw new Error(
        `NetworkLoadBalancer ${this.node.path}: allowToTargets("${name}") needs the construct's own security group (securityGroupIds was given: add the rules to those groups)`,
      );
    }
    this.securityGroup.addEgress({
      name: `to-${name}`,
      description: `NLB to ${name}`,
      fromPort: port,
      peerSecurityGroupId: targets.securityGroupId,
    });
    targets.addIngress({
      name: `from-${this.node.id}`,
      description: `NLB ${this.loadBalancer.name} to ${name}`,
      fromPort: port,
      peerSecurityGroupId: this.securityGroup.securityGroupId,
    });
  }
}

function listenerProtocol(listener: NlbListenerSpec): string {
  return listener.protocol ?? (listener.certificateArn === undefined ? 'TCP' : 'TLS');
}

function validate(scope: Construct, props: NetworkLoadBalancerProps): void {
  const p = new PropProblems(scope, 'NetworkLoadBalancer').matches(
    'name',
    props.name,
    /^(?!internal-)[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/,
    '1-32 lowercase letters, digits or "-", not starting "internal-" or ending with "-"',
  );
  checkAccessLogs(p, props.accessLogs, props.accessLogRetentionDays);
  if (props.securityGroupIds !== undefined) {
    p.check(
      props.securityGroupIds.length > 0,
      "securityGroupIds must name at least one group, or be left out for the construct's own (got [])",
    );
    p.check(
      props.ingress === undefined && props.filterPrivateLinkTraffic === undefined,
      "ingress and filterPrivateLinkTraffic apply to the construct's own security group only: leave out securityGroupIds, or set the rules on those groups",
    );
  }
  checkTargetGroups(p, props.targetGroups, NLB_TARGET_PROTOCOLS);
  const groups = Object.keys(props.targetGroups);
  p.check(Object.keys(props.listeners).length > 0, 'listeners must name at least one listener (got none)');
  const ports = new Map<number, string>();
  for (const [name, listener] of Object.entries(props.listeners)) {
    const at = `listeners.${name}`;
    const protocol = listenerProtocol(listener);
    p.matches('listeners key', name, /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/, '1-32 letters, digits, "_" or "-"');
    p.range(`${at}.port`, listener.port, 1, 65535);
    p.oneOf(`${at}.protocol`, listener.protocol, ['TCP', 'TLS', 'UDP', 'TCP_UDP']);
    p.check(ports.get(listener.port) === undefined, `${at}.port ${listener.port} is already used by listeners.${ports.get(listener.port)}`);
    ports.set(listener.port, name);
    p.check(
      groups.includes(listener.targetGroup),
      `${at}.targetGroup must be a targetGroups key (have: ${groups.join(', ') || 'none'}) (got ${JSON.stringify(listener.targetGroup)})`,
    );
    p.check(
      (protocol === 'TLS') === (listener.certificateArn !== undefined),
      protocol === 'TLS'
        ? `${at} uses TLS and needs a certificateArn (got none)`
        : `${at}.certificateArn applies to TLS listeners only (got protocol ${JSON.stringify(protocol)})`,
    );
    p.check(
      protocol === 'TLS' || listener.sslPolicy === undefined,
      `${at}.sslPolicy applies to TLS listeners only (got protocol ${JSON.stringify(protocol)})`,
    );
    p.oneOf(`${at}.sslPolicy`, listener.sslPolicy, TLS12_POLICIES as readonly string[]);
  }
  p.throwIfAny();
}
