// Where a system's stack runs: its AWS providers, availability zones and the prefix of its names, and
// the parts every AWS system starts with (its VPC, its alarm topic). Shared by every system so they all
// pin the environment's account and name things alike.
import type { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { AlarmTopic } from '../aws/messaging/sns-topic.js';
import { Vpc } from '../aws/network/vpc.js';
import type { VpcProps } from '../aws/network/vpc-props.js';
import type { CommonSettings } from './settings.js';
import type { SystemContext } from './types.js';

/** The AWS account of the environment; a system on AWS cannot be built without one. */
export function awsAccountId(context: SystemContext): string {
  const accountId = context.environment.accounts.aws?.accountId;
  if (accountId === undefined) {
    throw new Error(
      `environment ${context.environment.name}: accounts.aws.accountId is required for the ${context.tags.system} system (got no accounts.aws block)`,
    );
  }
  return accountId;
}

/** The stack's default provider: the site's region, and only the environment's account. */
export function defaultProvider(scope: Construct, context: SystemContext): AwsProvider {
  return new AwsProvider(scope, 'aws', { region: context.region.aws, allowedAccountIds: [awsAccountId(context)] });
}

/** The us-east-1 provider CloudFront's certificate and web ACL need. */
export function usEast1Provider(scope: Construct, context: SystemContext): AwsProvider {
  return new AwsProvider(scope, 'aws-us-east-1', { region: 'us-east-1', alias: 'us_east_1', allowedAccountIds: [awsAccountId(context)] });
}

/** The first `count` AZ names of `region` (`eu-west-1a`, `eu-west-1b`, ...): literal, so subnets are keyed by them. */
export function availabilityZones(region: string, count: number): string[] {
  return Array.from({ length: count }, (_, i) => `${region}${String.fromCharCode('a'.charCodeAt(0) + i)}`);
}

/** `<system>-<env>`, plus `-dr` in the DR copy, so account-wide names (IAM, dashboards) never collide between regions. */
export function resourcePrefix(context: SystemContext): string {
  const base = `${context.tags.system}-${context.environment.name}`;
  return context.role === 'dr' ? `${base}-dr` : base;
}

/** The environment's alarm receivers at this site. */
export interface AlarmReceivers {
  /** For the system's AlarmTopic: its e-mail and HTTPS subscribers. */
  readonly subscribers: { readonly emailSubscribers: readonly string[]; readonly httpsSubscribers: readonly string[] };
  /** The existing topic every alarm notifies too, in the site's region. */
  readonly alsoNotifyArns: readonly string[];
}

/** The environment file's `alarms`, for a system's alarm topic and its alarms at this site. */
export function alarmReceivers(context: SystemContext): AlarmReceivers {
  const { email, https, snsTopic } = context.environment.alarms;
  const region = context.region.aws;
  const partition = region.startsWith('cn-') ? 'aws-cn' : region.startsWith('us-gov-') ? 'aws-us-gov' : 'aws';
  return {
    subscribers: { emailSubscribers: Object.values(email), httpsSubscribers: Object.values(https) },
    alsoNotifyArns: snsTopic === undefined ? [] : [`arn:${partition}:sns:${region}:${awsAccountId(context)}:${snsTopic}`],
  };
}

/** The system's alarm topic (`<prefix>-alarms`, construct id `alarm-topic`), encrypted with the stack's key, subscribing the environment's receivers. */
export function systemAlarmTopic(scope: Construct, context: SystemContext, kmsKeyArn: string): AlarmTopic {
  const { subscribers } = alarmReceivers(context);
  return new AlarmTopic(scope, 'alarm-topic', { name: `${resourcePrefix(context)}-alarms`, kmsKeyArn, ...subscribers });
}

/**
 * The system's VPC (construct id `vpc`): its CIDR, the first `azCount` zones of its region, NAT gateways and
 * flow log retention from the common knobs, and what the system adds in `more`.
 */
export function systemVpc(
  scope: Construct,
  context: SystemContext,
  knobs: Pick<CommonSettings, 'azCount' | 'natGateways' | 'logRetentionDays'>,
  more: Omit<VpcProps, 'name' | 'cidr' | 'availabilityZones' | 'natGateways' | 'flowLogRetentionDays'> = {},
): Vpc {
  return new Vpc(scope, 'vpc', {
    name: resourcePrefix(context),
    cidr: context.cidr,
    availabilityZones: availabilityZones(context.region.aws, knobs.azCount),
    natGateways: knobs.natGateways,
    flowLogRetentionDays: knobs.logRetentionDays,
    ...more,
  });
}
