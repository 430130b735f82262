// A CloudWatch log group whose retention is always explicit: logs kept forever cost money and
// outlive their purpose, so there is no default.
import { Construct } from 'constructs';
import { CloudwatchLogGroup } from '@cdktf/provider-aws/lib/cloudwatch-log-group/index.js';
import { PropProblems } from '../../core/validation.js';

/** The retention values CloudWatch Logs accepts (0, "never expire", is deliberately not offered). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export interface LogGroupProps {
  /** Log group name, e.g. `/aws/lambda/payments-api`. */
  readonly name: string;
  /** One of LOG_RETENTION_DAYS. */
  readonly retentionInDays: number;
  /**
   * Customer-managed key ARN; its key policy must allow `logs.<region>.amazonaws.com`
   * (KmsKey's `servicePrincipals`). @default encrypted with a CloudWatch Logs-owned key
   */
  readonly kmsKeyArn?: string;
}

export class LogGroup extends Construct {
  readonly logGroup: CloudwatchLogGroup;
  readonly name: string;
  /** The log group ARN without a trailing `:*`. */
  readonly arn: string;

  constructor(scope: Construct, id: string, props: LogGroupProps) {
    super(scope, id);
    new PropProblems(this, 'LogGroup')
      .matches('name', props.name, /^[\w./#-]{1,512}$/, '1-512 characters of letters, digits and ._-/#')
      .oneOf('retentionInDays', props.retentionInDays, LOG_RETENTION_DAYS as readonly number[])
      .matches(
        'kmsKeyArn',
        props.kmsKeyArn,
        /^arn:aws(-cn|-us-gov)?:kms:[a-z0-9-]+:\d{12}:key\/[\w-]+$/,
        'a KMS key ARN (arn:aws:kms:<region>:<account>:key/<id>)',
      )
      .throwIfAny();

    this.logGroup = new CloudwatchLogGroup(this, 'log-group', {
      name: props.name,
      retentionInDays: props.retentionInDays,
      kmsKeyId: props.kmsKeyArn,
    });
    this.name = this.logGroup.name;
    this.arn = this.logGroup.arn;
  }
}
