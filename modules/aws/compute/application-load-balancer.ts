// An application load balancer that only speaks TLS 1.2+: HTTPS listener with a modern policy,
// HTTP only redirects, invalid headers dropped, deletion protection on, access logs to S3.
import { Construct } from 'constructs';
import { Lb } from '@cdktf/provider-aws/lib/lb/index.js';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener/index.js';
import { LbListenerRule } from '@cdktf/provider-aws/lib/lb-listener-rule/index.js';
import type { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group/index.js';
import { PropProblems } from '../../core/validation.js';
import type { SecureBucket } from '../data/s3-bucket.js';
import { SecurityGroup, type SecurityGroupRule } from '../network/security-group.js';
import { checkKeys } from './checks.js';
import {
  type AccessLogsDestination,
  ALB_TARGET_PROTOCOLS,
  accessLogsDestination,
  albLogDeliveryStatements,
  checkAccessLogs,
  checkTargetGroups,
  createTargetGroups,
  logDeliverySid,
  type TargetGroupSpec,
} from './load-balancer-parts.js';

/** Listener policies that allow TLS 1.2 or newer only. */
export const TLS12_POLICIES = [
  'ELBSecurityPolicy-TLS13-1-2-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-Res-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06',
  'ELBSecurityPolicy-TLS13-1-3-2021-06',
  'ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04',
  'ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04',
  'ELBSecurityPolicy-TLS-1-2-2017-01',
  'ELBSecurityPolicy-TLS-1-2-Ext-2018-06',
  'ELBSecurityPolicy-FS-1-2-Res-2020-10',
] as const;
export const DEFAULT_TLS_POLICY = 'ELBSecurityPolicy-TLS13-1-2-2021-06';

export interface ListenerRoute {
  /** Evaluation order, lowest first: 1-50000, unique per load balancer. */
  readonly priority: number;
  /** Key of the target group that receives matching requests. */
  readonly targetGroup: string;
  /** e.g. `['/api/*']`. At least one of pathPatterns / hostHeaders. */
  readonly pathPatterns?: readonly string[];
  /** e.g. `['api.example.com']`. */
  readonly hostHeaders?: readonly string[];
}

export interface ApplicationLoadBalancerProps {
  /** 1-32 lowercase letters, digits and `-`; also names the access-log bucket and target groups. */
  readonly name: string;
  readonly vpcId: string;
  /** The VPC's CIDR: the load balancer may reach targets in it on their target group ports only. */
  readonly vpcCidr: string;
  /** Private subnets (internal) or public subnets (internet-facing), in at least two AZs. */
  readonly subnetIds: readonly string[];
  /** @default false: internal, reachable only from the VPC and networks routed to it */
  readonly internetFacing?: boolean;
  /** ACM certificate for the HTTPS listener. */
  readonly certificateArn: string;
  /** One of TLS12_POLICIES. @default 'ELBSecurityPolicy-TLS13-1-2-2021-06' */
  readonly sslPolicy?: string;
  /** Named CIDRs allowed on 443 (and 80, which only redirects), e.g. `{ vpc: '10.0.0.0/16' }` or `{ internet: '0.0.0.0/0' }`. @default none */
  readonly ingressCidrs?: Record<string, string>;
  /** Named security groups allowed on 443 and 80. @default none (one of ingressCidrs / ingressSecurityGroups is required) */
  readonly ingressSecurityGroups?: Record<string, string>;
  /** @default true */
  readonly deletionProtection?: boolean;
  /** Where access logs go. @default a new SecureBucket (SSE-S3), force-destroyable only when deletionProtection is false */
  readonly accessLogs?: AccessLogsDestination;
  /** Days the created access-log bucket keeps logs. @default 365 */
  readonly accessLogRetentionDays?: number;
  /**
   * Also grant the region's ELB account in the log bucket policy (needed in regions opened before
   * 2022; set false in newer regions, where the data source has no account and only the service
   * principal applies). @default true
   */
  readonly elbServiceAccount?: boolean;
  /** @default 60 */
  readonly idleTimeoutSeconds?: number;
  /** Target groups by name. @default none */
  readonly targetGroups?: Record<string, TargetGroupSpec>;
  /** Target group the HTTPS listener forwards to when no route matches. @default a fixed 404 response */
  readonly defaultTargetGroup?: string;
  /** HTTPS listener rules by name. @default none */
  readonly routes?: Record<string, ListenerRoute>;
}

export class ApplicationLoadBalancer extends Construct {
  public readonly loadBalancer: Lb;
  public readonly arn: string;
  /** `app/<name>/<id>`: with a target group's arnSuffix, the resource label of ALBRequestCountPerTarget scaling. */
  public readonly arnSuffix: string;
  public readonly dnsName: string;
  public readonly zoneId: string;
  public readonly securityGroupId: string;
  public readonly securityGroup: SecurityGroup;
  public readonly httpsListener: LbListener;
  public readonly httpListener: LbListener;
  public readonly targetGroups: Record<string, LbTargetGroup>;
  public readonly targetGroupArns: Record<string, string>;
  public readonly accessLogsBucket: SecureBucket;

  constructor(scope: Construct, id: string, props: ApplicationLoadBalancerProps) {
    super(scope, id);
    const specs = props.targetGroups ?? {};
    validate(this, props, specs);
    const deletionProtection = props.deletionProtection ?? true;

    this.securityGroup = new SecurityGroup(this, 'security-group', {
      vpcId: props.vpcId,
      description: `${props.name} load balancer: HTTPS (and HTTP redirect) in, target ports out`,
      ingress: ingressRules(props),
      egress: Object.entries(specs).map(([name, spec]) => ({
        name: `target-${name}`,
        description: `to ${name} targets`,
        fromPort: spec.port,
        cidrIpv4: props.vpcCidr,
      })),
      tags: { Name: props.name },
    });
    this.securityGroupId = this.securityGroup.securityGroupId;

    const logs = accessLogsDestination(this, props.name, props.accessLogs, props.accessLogRetentionDays ?? 365, !deletionProtection);
    this.accessLogsBucket = logs.bucket;
    for (const statement of albLogDeliveryStatements(
      this,
      logDeliverySid('Alb', props.name),
      logs.bucket.arn,
      logs.prefix,
      props.elbServiceAccount ?? true,
    )) {
      logs.bucket.addToResourcePolicy(statement);
    }

    this.loadBalancer = new Lb(this, 'load-balancer', {
      name: props.name,
      loadBalancerType: 'application',
      internal: !(props.internetFacing ?? false),
      subnets: [...props.subnetIds],
      securityGroups: [this.securityGroupId],
      dropInvalidHeaderFields: true,
      enableDeletionProtection: deletionProtection,
      desyncMitigationMode: 'defensive',
      idleTimeout: props.idleTimeoutSeconds ?? 60,
      accessLogs: { bucket: logs.bucket.bucketName, prefix: logs.prefix, enabled: true },
      tags: { Name: props.name },
      // The bucket policy must exist before the load balancer checks it can write there.
      dependsOn: [logs.bucket.policy],
    });
    this.arn = this.loadBalancer.arn;
    this.arnSuffix = this.loadBalancer.arnSuffix;
    this.dnsName = this.loadBalancer.dnsName;
    this.zoneId = this.loadBalancer.zoneId;

    this.targetGroups = createTargetGroups(this, props.name, props.vpcId, specs, 'HTTP');
    this.targetGroupArns = Object.fromEntries(Object.entries(this.targetGroups).map(([name, group]) => [name, group.arn]));

    this.httpListener = new LbListener(this, 'http', {
      loadBalancerArn: this.arn,
      port: 80,
      protocol: 'HTTP',
      defaultAction: [{ type: 'redirect', redirect: { port: '443', protocol: 'HTTPS', statusCode: 'HTTP_301' } }],
    });
    const fallback = props.defaultTargetGroup;
    this.httpsListener = new LbListener(this, 'https', {
      loadBalancerArn: this.arn,
      port: 443,
      protocol: 'HTTPS',
      sslPolicy: props.sslPolicy ?? DEFAULT_TLS_POLICY,
      certificateArn: props.certificateArn,
      defaultAction: [
        fallback === undefined
          ? { type: 'fixed-response', fixedResponse: { contentType: 'text/plain', statusCode: '404', messageBody: 'Not Found' } }
          : { type: 'forward', targetGroupArn: this.targetGroupArns[fallback] },
      ],
    });
    for (const [name, route] of Object.entries(props.routes ?? {})) {
      new LbListenerRule(this, `route-${name}`, {
        listenerArn: this.httpsListener.arn,
        priority: route.priority,
        action: [{ type: 'forward', targetGroupArn: this.targetGroupArns[route.targetGroup] }],
        condition: [
          ...(route.pathPatterns ? [{ pathPattern: { values: [...route.pathPatterns] } }] : []),
          ...(route.hostHeaders ? [{ hostHeader: { values: [...route.hostHeaders] } }] : []),
        ],
        tags: { Name: `${props.name}-${name}` },
      });
    }
  }

  /** The `ResourceLabel` of ALBRequestCountPerTarget scaling for one of this load balancer's target groups. */
  requestCountResourceLabel(targetGroup: string): string {
    const group = this.targetGroups[targetGroup];
    if (!group) {
      throw new Error(
        `ApplicationLoadBalancer ${this.node.path}: requestCountResourceLabel: no target group ${JSON.stringify(targetGroup)} (have: ${Object.keys(this.targetGroups).join(', ') || 'none'})`,
      );
    }
    return `${this.arnSuffix}/${group.arnSuffix}`;
  }
}

function ingressRules(props: ApplicationLoadBalancerProps): SecurityGroupRule[] {
  const rules: SecurityGroupRule[] = [];
  const peers: [string, Partial<SecurityGroupRule>][] = [
    ...Object.entries(props.ingressCidrs ?? {}).map(([name, cidr]): [string, Partial<SecurityGroupRule>] => [name, { cidrIpv4: cidr }]),
    ...Object.entries(props.ingressSecurityGroups ?? {}).map(([name, sg]): [string, Partial<SecurityGroupRule>] => [
      name,
      { peerSecurityGroupId: sg },
    ]),
  ];
  for (const [name, peer] of peers) {
    rules.push({ name: `https-${name}`, description: `HTTPS from ${name}`, fromPort: 443, ...peer });
    rules.push({ name: `http-${name}`, description: `HTTP from ${name} (redirected to HTTPS)`, fromPort: 80, ...peer });
  }
  return rules;
}

function validate(scope: Construct, props: ApplicationLoadBalancerProps, specs: Record<string, TargetGroupSpec>): void {
  const p = new PropProblems(scope, 'ApplicationLoadBalancer')
    .matches(
      'name',
      props.name,
      /^(?!internal-)[a-z0-9](?:[a-z0-9-]{0,30}[a-z0-9])?$/,
      '1-32 lowercase letters, digits or "-", not starting "internal-" or ending with "-"',
    )
    .matches(
      'certificateArn',
      props.certificateArn,
      /^arn:aws(-cn|-us-gov)?:(acm|iam):[a-z0-9-]*:\d{12}:(certificate|server-certificate)\/.+$/,
      'an ACM certificate ARN',
    )
    .oneOf('sslPolicy', props.sslPolicy, TLS12_POLICIES as readonly string[])
    .range('idleTimeoutSeconds', props.idleTimeoutSeconds, 1, 4000);
  p.check(
    Object.keys(props.ingressCidrs ?? {}).length + Object.keys(props.ingressSecurityGroups ?? {}).length > 0,
    'ingressCidrs or ingressSecurityGroups must name at least one source (got none: nothing could reach the load balancer)',
  );
  checkKeys(p, 'ingressCidrs', props.ingressCidrs);
  checkKeys(p, 'ingressSecurityGroups', props.ingressSecurityGroups);
  checkAccessLogs(p, props.accessLogs, props.accessLogRetentionDays);
  checkTargetGroups(p, specs, ALB_TARGET_PROTOCOLS);
  const groups = Object.keys(specs);
  const known = `(have: ${groups.join(', ') || 'none'})`;
  if (props.defaultTargetGroup !== undefined) {
    p.check(
      groups.includes(props.defaultTargetGroup),
      `defaultTargetGroup must be a targetGroups key ${known} (got ${JSON.stringify(props.defaultTargetGroup)})`,
    );
  }
  const priorities = new Map<number, string>();
  for (const [name, route] of Object.entries(props.routes ?? {})) {
    p.matches('routes key', name, /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/, '1-32 letters, digits, "_" or "-"');
    p.range(`routes.${name}.priority`, route.priority, 1, 50000);
    const clash = priorities.get(route.priority);
    p.check(clash === undefined, `routes.${name}.priority ${route.priority} is already used by routes.${clash}`);
    priorities.set(route.priority, name);
    p.check(
      groups.includes(route.targetGroup),
      `routes.${name}.targetGroup must be a targetGroups key ${known} (got ${JSON.stringify(route.targetGroup)})`,
    );
    p.check(
      (route.pathPatterns?.length ?? 0) + (route.hostHeaders?.length ?? 0) > 0,
      `routes.${name} needs pathPatterns or hostHeaders (got neither)`,
    );
  }
  p.throwIfAny();
}
