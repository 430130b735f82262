// Replication of a SecureBucket to another bucket, with a role that can do only that.
import type { ITerraformDependable } from 'cdktf';
import { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import { S3BucketReplicationConfigurationA } from '@cdktf/provider-aws/lib/s3-bucket-replication-configuration/index.js';
import { isUnresolved } from '../../core/validation.js';

export interface BucketReplicationProps {
  /** ARN of the destination bucket (versioned, usually in another region). */
  readonly destinationBucketArn: string;
  /** @default a role created here that may only replicate from this bucket to the destination */
  readonly roleArn?: string;
  /** KMS key that encrypts replicas in the destination region. Required when the source bucket uses KMS. @default SSE-S3 */
  readonly destinationKmsKeyArn?: string;
  /** @default the source object's storage class */
  readonly storageClass?: 'STANDARD' | 'STANDARD_IA' | 'ONEZONE_IA' | 'INTELLIGENT_TIERING' | 'GLACIER_IR' | 'GLACIER' | 'DEEP_ARCHIVE';
}

interface InternalProps extends BucketReplicationProps {
  readonly sourceBucketName: string;
  readonly sourceBucketArn: string;
  readonly sourceKmsKeyArn?: string;
  readonly dependsOn: readonly ITerraformDependable[];
}

const BUCKET_ARN = /^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const KMS_ARN = /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:(key|alias)\/.+$/;
const ROLE_ARN = /^arn:aws[a-z-]*:iam::\d{12}:role\/.+$/;

export function replicationProblems(r: BucketReplicationProps, sourceKmsKeyArn: string | undefined): string[] {
  const problems: string[] = [];
  const bad = (field: string, value: string | undefined, pattern: RegExp, what: string) => {
    if (value !== undefined && !isUnresolved(value) && !pattern.test(value)) {
      problems.push(`replication.${field} must be ${what} (got ${JSON.stringify(value)})`);
    }
  };
  bad('destinationBucketArn', r.destinationBucketArn, BUCKET_ARN, 'an S3 bucket ARN like arn:aws:s3:::my-bucket');
  bad('roleArn', r.roleArn, ROLE_ARN, 'an IAM role ARN');
  bad('destinationKmsKeyArn', r.destinationKmsKeyArn, KMS_ARN, 'a KMS key or alias ARN');
  if (sourceKmsKeyArn !== undefined && r.destinationKmsKeyArn === undefined) {
    problems.push(
      'replication.destinationKmsKeyArn is required when kmsKeyArn is set (got undefined): KMS-encrypted objects replicate only with a destination key',
    );
  }
  return problems;
}

export class BucketReplication extends Construct {
  public readonly configuration: S3BucketReplicationConfigurationA;
  public readonly roleArn: string;
  /** Set when the role was created here. */
  public readonly role?: IamRole;

  constructor(scope: Construct, id: string, props: InternalProps) {
    super(scope, id);
    if (props.roleArn === undefined) {
      this.role = this.createRole(props);
      this.roleArn = this.role.arn;
    } else {
      this.roleArn = props.roleArn;
    }
    const kms = props.sourceKmsKeyArn !== undefined;
    this.configuration = new S3BucketReplicationConfigurationA(this, 'configuration', {
      bucket: props.sourceBucketName,
      role: this.roleArn,
      rule: [
        {
          id: 'replicate-everything',
          status: 'Enabled',
          filter: {},
          deleteMarkerReplication: { status: 'Enabled' },
          sourceSelectionCriteria: kms ? { sseKmsEncryptedObjects: { status: 'Enabled' } } : undefined,
          destination: {
            bucket: props.destinationBucketArn,
            storageClass: props.storageClass,
            encryptionConfiguration: props.destinationKmsKeyArn === undefined ? undefined : { replicaKmsKeyId: props.destinationKmsKeyArn },
          },
        },
      ],
      dependsOn: props.dependsOn && [...props.dependsOn],
    });
  }

  private createRole(props: InternalProps): IamRole {
    const role = new IamRole(this, 'role', {
      namePrefix: 's3-replication-',
      description: 'Replicates one S3 bucket to its destination',
      assumeRolePolicy: JSON.stringify({
        Version: '2012-10-17',
        Statement: [
          {
            Effect: 'Allow',
            Principal: { Service: 's3.amazonaws.com' },
            Action: 'sts:AssumeRole',
            // Only S3 acting for this bucket may assume the role (confused-deputy protection).
            Condition: { ArnLike: { 'aws:SourceArn': props.sourceBucketArn } },
          },
        ],
      }),
    });
    const statements: object[] = [
      {
        Sid: 'ReadReplicationConfiguration',
        Effect: 'Allow',
        Action: ['s3:GetReplicationConfiguration', 's3:ListBucket'],
        Resource: [props.sourceBucketArn],
      },
      {
        Sid: 'ReadSourceVersions',
        Effect: 'Allow',
        Action: ['s3:GetObjectVersionForReplication', 's3:GetObjectVersionAcl', 's3:GetObjectVersionTagging'],
        Resource: [`${props.sourceBucketArn}/*`],
      },
      {
        Sid: 'WriteReplicas',
        Effect: 'Allow',
        Action: ['s3:ReplicateObject', 's3:ReplicateDelete', 's3:ReplicateTags'],
        Resource: [`${props.destinationBucketArn}/*`],
      },
    ];
    if (props.sourceKmsKeyArn !== undefined) {
      statements.push({ Sid: 'DecryptSource', Effect: 'Allow', Action: ['kms:Decrypt'], Resource: [props.sourceKmsKeyArn] });
    }
    if (props.destinationKmsKeyArn !== undefined) {
      statements.push({
        Sid: 'EncryptReplicas',
        Effect: 'Allow',
        Action: ['kms:Encrypt', 'kms:GenerateDataKey'],
        Resource: [props.destinationKmsKeyArn],
      });
    }
    new IamRolePolicy(this, 'policy', {
      role: role.id,
      name: 'replication',
      policy: JSON.stringify({ Version: '2012-10-17', Statement: statements }),
    });
    return role;
  }
}
