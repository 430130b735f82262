// Settings that exist once per AWS account and region, shared by every system deployed there.
// They live in their own stack (`account-<env>[-<region>]`) so no system owns, or overwrites, them.
import { TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { ApiGatewayAccountLogging } from '../aws/api/api-gateway-account.js';
import { LOG_RETENTION_DAYS } from '../aws/observability/log-group.js';
import { KmsKey } from '../aws/security/kms-key.js';
import { SecurityBaseline } from '../aws/security/security-baseline.js';
import { PropProblems } from '../core/validation.js';
import { SECURITY_SERVICES, type SecurityService } from './security-services.js';

export interface AccountStackProps {
  /** The AWS region of the site. */
  readonly region: string;
  /** The environment's AWS account id; the provider refuses any other account. */
  readonly accountId: string;
  /**
   * The account's primary region: it holds the multi-region trail and records global resource types
   * (IAM) in Config; other regions get GuardDuty and a regional Config recorder.
   * @default true
   */
  readonly primaryRegion?: boolean;
  /**
   * Services the AWS organisation already runs in this account (delegated administrator, organisation
   * trail): the stack creates none of them, since a second detector or recorder fails to create.
   * @default [] (the stack creates GuardDuty, Config and, in the primary region, the trail)
   */
  readonly managedByOrganization?: readonly SecurityService[];
  /** Days the trail's events stay in CloudWatch Logs (one of LOG_RETENTION_DAYS). @default 365 */
  readonly trailLogRetentionDays?: number;
}

/**
 * Account/region singletons: the CloudWatch Logs role REST API stages need before they can log, and
 * GuardDuty, AWS Config and CloudTrail where the organisation does not run them.
 */
export class AccountStack extends TerraformStack {
  readonly apiGatewayLogging: ApiGatewayAccountLogging;
  /** Set unless the organisation runs all three security services. */
  readonly securityBaseline?: SecurityBaseline;

  constructor(scope: Construct, id: string, props: AccountStackProps) {
    super(scope, id);
    const managed = props.managedByOrganization ?? [];
    const problems = new PropProblems(this, 'AccountStack').oneOf(
      'trailLogRetentionDays',
      props.trailLogRetentionDays,
      LOG_RETENTION_DAYS as readonly number[],
    );
    for (const service of managed) problems.oneOf('managedByOrganization', service, SECURITY_SERVICES);
    problems.throwIfAny();

    new AwsProvider(this, 'aws', { region: props.region, allowedAccountIds: [props.accountId] });
    this.apiGatewayLogging = new ApiGatewayAccountLogging(this, 'api-gateway-logging');

    const primary = props.primaryRegion ?? true;
    const on = (service: SecurityService) => !managed.includes(service);
    const trail = primary && on('cloudTrail');
    if (!trail && !on('config') && !on('guardDuty')) return;
    // One key for the trail's files and log group and Config's deliveries.
    const key =
      trail || on('config')
        ? new KmsKey(this, 'security-key', {
            description: 'Encrypts CloudTrail logs and AWS Config deliveries',
            alias: 'account-security',
            servicePrincipals: ['cloudtrail.amazonaws.com', `logs.${props.region}.amazonaws.com`],
          })
        : undefined;
    this.securityBaseline = new SecurityBaseline(this, 'security-baseline', {
      primaryRegion: primary,
      trail,
      guardDuty: on('guardDuty'),
      config: on('config'),
      kmsKeyArn: key?.arn,
      trailCloudWatchLogs: trail ? { retentionInDays: props.trailLogRetentionDays ?? 365, kmsKeyArn: key!.arn } : undefined,
    });
  }
}
