// Parts shared by the application and network load balancers: target groups keyed by name, and
// access logs (a bucket, and the bucket-policy statements that let each kind deliver to it).
import { TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group/index.js';
import { DataAwsElbServiceAccount } from '@cdktf/provider-aws/lib/data-aws-elb-service-account/index.js';
import type { PolicyStatement } from '../data/policy-statement.js';
import { SecureBucket } from '../data/s3-bucket.js';
import type { PropProblems } from '../../core/validation.js';
import { awsAccountContext } from '../security/account.js';

export interface HealthCheck {
  /** HTTP(S) health checks only. @default '/health' for HTTP(S) target groups */
  readonly path?: string;
  /** HTTP codes that mean healthy. @default '200-399' for HTTP(S) target groups */
  readonly matcher?: string;
  /** @default 'HTTP' for ALB target groups; 'TCP' for NLB target groups */
  readonly protocol?: 'HTTP' | 'HTTPS' | 'TCP';
  /** @default 'traffic-port' */
  readonly port?: number;
  /** @default 15 */
  readonly intervalSeconds?: number;
  /** @default 5 */
  readonly timeoutSeconds?: number;
  /** @default 3 */
  readonly healthyThreshold?: number;
  /** @default 3 */
  readonly unhealthyThreshold?: number;
}

export interface TargetGroupSpec {
  /** Port the targets listen on (e.g. the container port). */
  readonly port: number;
  /** ALB: 'HTTP' | 'HTTPS' (@default 'HTTP': TLS ends at the load balancer). NLB: 'TCP' | 'TLS' | 'UDP' | 'TCP_UDP' (@default 'TCP'). */
  readonly protocol?: string;
  /** `ip` suits Fargate tasks (awsvpc). @default 'ip' */
  readonly targetType?: 'ip' | 'instance' | 'alb';
  /** @default see HealthCheck */
  readonly healthCheck?: HealthCheck;
  /** Seconds to drain a deregistering target. @default 30 */
  readonly deregistrationDelaySeconds?: number;
}

export const ALB_TARGET_PROTOCOLS = ['HTTP', 'HTTPS'] as const;
export const NLB_TARGET_PROTOCOLS = ['TCP', 'TLS', 'UDP', 'TCP_UDP'] as const;

/** Checks every target group; `protocols` are those the load balancer kind allows. */
export function checkTargetGroups(
  problems: PropProblems,
  specs: Readonly<Record<string, TargetGroupSpec>>,
  protocols: readonly string[],
): void {
  for (const [name, spec] of Object.entries(specs)) {
    const at = `targetGroups.${name}`;
    problems.matches(`targetGroups key`, name, /^[a-z0-9][a-z0-9-]{0,31}$/, '1-32 lowercase letters, digits or "-"');
    problems.range(`${at}.port`, spec.port, 1, 65535);
    problems.oneOf(`${at}.protocol`, spec.protocol, protocols);
    problems.oneOf(`${at}.targetType`, spec.targetType, ['ip', 'instance', 'alb']);
    problems.range(`${at}.deregistrationDelaySeconds`, spec.deregistrationDelaySeconds, 0, 3600);
    const hc = spec.healthCheck ?? {};
    problems.matches(`${at}.healthCheck.path`, hc.path, /^\/[\x21-\x7e]{0,1023}$/, 'a path starting with "/"');
    problems.matches(`${at}.healthCheck.matcher`, hc.matcher, /^\d{3}(-\d{3})?(,\d{3}(-\d{3})?)*$/, 'HTTP codes like "200" or "200-399"');
    problems.oneOf(`${at}.healthCheck.protocol`, hc.protocol, ['HTTP', 'HTTPS', 'TCP']);
    problems.range(`${at}.healthCheck.port`, hc.port, 1, 65535);
    problems.range(`${at}.healthCheck.intervalSeconds`, hc.intervalSeconds, 5, 300);
    problems.range(`${at}.healthCheck.timeoutSeconds`, hc.timeoutSeconds, 2, 120);
    problems.range(`${at}.healthCheck.healthyThreshold`, hc.healthyThreshold, 2, 10);
    problems.range(`${at}.healthCheck.unhealthyThreshold`, hc.unhealthyThreshold, 2, 10);
    if (spec.targetType === 'alb') {
      problems.check(
        spec.protocol === 'TCP',
        `${at}.targetType "alb" needs protocol "TCP" on a network load balancer (got ${JSON.stringify(spec.protocol)})`,
      );
    }
  }
}

/** Creates one target group per key (construct id `target-group-<key>`). */
export function createTargetGroups(
  scope: Construct,
  lbName: string,
  vpcId: string,
  specs: Readonly<Record<string, TargetGroupSpec>>,
  defaultProtocol: 'HTTP' | 'TCP',
): Record<string, LbTargetGroup> {
  const groups: Record<string, LbTargetGroup> = {};
  for (const [name, spec] of Object.entries(specs)) {
    const protocol = spec.protocol ?? defaultProtocol;
    const hc = spec.healthCheck ?? {};
    const hcProtocol = hc.protocol ?? (protocol === 'HTTP' || protocol === 'HTTPS' ? 'HTTP' : 'TCP');
    const isHttpCheck = hcProtocol !== 'TCP';
    groups[name] = new LbTargetGroup(scope, `target-group-${name}`, {
      // No fixed name: a replaced target group is created before the old one is destroyed.
      port: spec.port,
      protocol,
      targetType: spec.targetType ?? 'ip',
      vpcId,
      deregistrationDelay: String(spec.deregistrationDelaySeconds ?? 30),
      healthCheck: {
        enabled: true,
        protocol: hcProtocol,
        port: hc.port === undefined ? 'traffic-port' : String(hc.port),
        path: isHttpCheck ? (hc.path ?? '/health') : undefined,
        matcher: isHttpCheck ? (hc.matcher ?? '200-399') : undefined,
        interval: hc.intervalSeconds ?? 15,
        timeout: hc.timeoutSeconds ?? 5,
        healthyThreshold: hc.healthyThreshold ?? 3,
        unhealthyThreshold: hc.unhealthyThreshold ?? 3,
      },
      tags: { Name: `${lbName}-${name}` },
      lifecycle: { createBeforeDestroy: true },
    });
  }
  return groups;
}

const ELB_ACCOUNT_ID = 'ElbServiceAccount';

/**
 * Bucket-policy statements for ALB access logs: the regional ELB account (regions opened before
 * 2022) and the log-delivery service principal (newer regions) may write under the prefix.
 */
export function albLogDeliveryStatements(
  scope: Construct,
  sid: string,
  bucketArn: string,
  prefix: string,
  elbServiceAccount: boolean,
): PolicyStatement[] {
  const account = awsAccountContext(scope);
  const principals: { Service: string; AWS?: string } = { Service: 'logdelivery.elasticloadbalancing.amazonaws.com' };
  if (elbServiceAccount) principals.AWS = elbServiceAccountArn(scope);
  return [
    { sid, principals, actions: ['s3:PutObject'], resources: [`${bucketArn}/${logKeyPrefix(prefix)}AWSLogs/${account.accountId}/*`] },
  ];
}

/** Bucket-policy statements for NLB (TLS listener) access logs, delivered by CloudWatch Logs' delivery service. */
export function nlbLogDeliveryStatements(scope: Construct, sid: string, bucketArn: string, prefix: string): PolicyStatement[] {
  const account = awsAccountContext(scope);
  const fromThisAccount = {
    StringEquals: { 'aws:SourceAccount': account.accountId },
    ArnLike: { 'aws:SourceArn': `arn:${account.partition}:logs:${account.region}:${account.accountId}:*` },
  };
  return [
    {
      sid: `${sid}Write`,
      principals: { Service: 'delivery.logs.amazonaws.com' },
      actions: ['s3:PutObject'],
      resources: [`${bucketArn}/${logKeyPrefix(prefix)}AWSLogs/${account.accountId}/*`],
      conditions: { ...fromThisAccount, StringEquals: { ...fromThisAccount.StringEquals, 's3:x-amz-acl': 'bucket-owner-full-control' } },
    },
    {
      sid: `${sid}AclCheck`,
      principals: { Service: 'delivery.logs.amazonaws.com' },
      actions: ['s3:GetBucketAcl'],
      resources: [bucketArn],
      conditions: fromThisAccount,
    },
  ];
}

function logKeyPrefix(prefix: string): string {
  return prefix === '' ? '' : `${prefix}/`;
}

function elbServiceAccountArn(scope: Construct): string {
  const stack = TerraformStack.of(scope);
  const existing = stack.node.tryFindChild(ELB_ACCOUNT_ID) as DataAwsElbServiceAccount | undefined;
  return (existing ?? new DataAwsElbServiceAccount(stack, ELB_ACCOUNT_ID)).arn;
}

export interface AccessLogsDestination {
  /** A SecureBucket encrypted with SSE-S3 (ALB access logs cannot be written to SSE-KMS buckets). */
  readonly bucket: SecureBucket;
  /** Key prefix, without leading or trailing `/`. @default the load balancer's name */
  readonly prefix?: string;
}

/** Checks the access-log props shared by both load balancer kinds. */
export function checkAccessLogs(
  problems: PropProblems,
  accessLogs: AccessLogsDestination | undefined,
  retentionDays: number | undefined,
): void {
  problems.matches(
    'accessLogs.prefix',
    accessLogs?.prefix,
    /^(?!.*AWSLogs)[A-Za-z0-9!_.*'()-]+(\/[A-Za-z0-9!_.*'()-]+)*$/,
    'S3 key segments without leading/trailing "/" and not containing "AWSLogs"',
  );
  problems.range('accessLogRetentionDays', retentionDays, 1, 3650);
  problems.check(
    accessLogs === undefined || retentionDays === undefined,
    `accessLogRetentionDays applies only to the bucket the load balancer creates (got accessLogRetentionDays ${retentionDays} with an accessLogs bucket; set retention on that bucket)`,
  );
}

/** The given bucket, or a new SecureBucket whose logs expire after `retentionDays`. */
export function accessLogsDestination(
  scope: Construct,
  lbName: string,
  given: AccessLogsDestination | undefined,
  retentionDays: number,
  forceDestroy: boolean,
): { bucket: SecureBucket; prefix: string } {
  const prefix = given?.prefix ?? lbName;
  if (given) return { bucket: given.bucket, prefix };
  const bucket = new SecureBucket(scope, 'access-logs', {
    bucketPrefix: `${lbName.slice(0, 30)}-logs-`,
    lifecycleRules: [{ id: 'expire-access-logs', expirationDays: retentionDays }],
    forceDestroy,
  });
  return { bucket, prefix };
}

/** A bucket-policy sid derived from the load balancer name, unique per bucket when names are. */
export function logDeliverySid(kind: 'Alb' | 'Nlb', lbName: string): string {
  return `${kind}AccessLogs${lbName.replace(/[^A-Za-z0-9]/g, '')}`;
}
