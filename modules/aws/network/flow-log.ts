// VPC flow logs (ALL traffic) into a CloudWatch log group, delivered by a role that can write
// to that one log group only and can be assumed by the flow-logs service of this account only.
import { Construct } from 'constructs';
import { FlowLog } from '@cdktf/provider-aws/lib/flow-log/index.js';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import { LogGroup } from '../observability/log-group.js';
import { awsAccountContext } from '../security/account.js';

export interface VpcFlowLogProps {
  readonly vpcId: string;
  /** Log group name, e.g. `/aws/vpc/flow-logs/main`. */
  readonly logGroupName: string;
  readonly retentionInDays: number;
  /** @default the log group is encrypted with the CloudWatch Logs service key */
  readonly kmsKeyArn?: string;
}

export class VpcFlowLog extends Construct {
  public readonly flowLog: FlowLog;
  public readonly logGroup: LogGroup;
  public readonly role: IamRole;

  constructor(scope: Construct, id: string, props: VpcFlowLogProps) {
    super(scope, id);
    const account = awsAccountContext(this);
    this.logGroup = new LogGroup(this, 'log-group', {
      name: props.logGroupName,
      retentionInDays: props.retentionInDays,
      kmsKeyArn: props.kmsKeyArn,
    });
    this.role = new IamRole(this, 'role', {
      namePrefix: 'vpc-flow-logs-',
      description: `Delivers VPC flow logs to ${props.logGroupName}`,
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'FlowLogsServiceOfThisAccount',
            Effect: 'Allow',
            Principal: { Service: 'vpc-flow-logs.amazonaws.com' },
            Action: 'sts:AssumeRole',
            // Confused-deputy guard: only flow logs owned by this account may use the role.
            Condition: { StringEquals: { 'aws:SourceAccount': account.accountId } },
          },
        ],
      }),
    });
    new IamRolePolicy(this, 'write-log-group', {
      role: this.role.id,
      name: 'write-flow-log-group',
      policy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Sid: 'WriteThisLogGroupOnly',
            Effect: 'Allow',
            Action: ['logs:CreateLogStream', 'logs:PutLogEvents', 'logs:DescribeLogStreams'],
            Resource: [this.logGroup.arn, `${this.logGroup.arn}:log-stream:*`],
          },
        ],
      }),
    });
    this.flowLog = new FlowLog(this, 'flow-log', {
      vpcId: props.vpcId,
      trafficType: 'ALL',
      logDestinationType: 'cloud-watch-logs',
      logDestination: this.logGroup.arn,
      iamRoleArn: this.role.arn,
      maxAggregationInterval: 60,
    });
  }
}
