// A customer-managed KMS key with rotation always on. The key policy gives the account root full
// control (so IAM policies can grant use, and the key can never become unmanageable) and lets the
// listed AWS service principals use it, scoped to this account where the service supports it.
import { Construct } from 'constructs';
import { KmsKey as KmsKeyResource } from '@cdktf/provider-aws/lib/kms-key/index.js';
import { KmsAlias } from '@cdktf/provider-aws/lib/kms-alias/index.js';
import { PropProblems } from '../../core/validation.js';
import { awsAccountContext, type AwsAccountContext } from './account.js';
import { policyDocument, type PolicyStatement } from './policy-document.js';

export interface KmsKeyProps {
  readonly description: string;
  /** Alias name without the `alias/` prefix, e.g. `payments/data`. @default no alias */
  readonly alias?: string;
  /** Days between scheduling deletion and deletion (7-30). @default 30 */
  readonly deletionWindowInDays?: number;
  /**
   * Service principals allowed to use the key, e.g. `logs.eu-west-1.amazonaws.com`,
   * `cloudtrail.amazonaws.com`, `sns.amazonaws.com`. CloudWatch Logs is limited to this account's
   * log groups and CloudTrail to this account's trails (by encryption context).
   * @default none (only IAM principals of this account, through their IAM policies)
   */
  readonly servicePrincipals?: readonly string[];
  /** Days between automatic rotations (90-2560). @default 365 */
  readonly rotationPeriodInDays?: number;
}

const SERVICE_PRINCIPAL = /^[a-z0-9-]+(\.[a-z0-9-]+)*\.amazonaws\.com(\.cn)?$/;

/** A symmetric customer-managed key with yearly (or faster) rotation. */
export class KmsKey extends Construct {
  readonly key: KmsKeyResource;
  readonly arn: string;
  readonly keyId: string;
  /** `alias/<alias>` when an alias was given. */
  readonly aliasName?: string;

  constructor(scope: Construct, id: string, props: KmsKeyProps) {
    super(scope, id);
    const problems = new PropProblems(this, 'KmsKey')
      .check(
        props.description.trim().length > 0 && props.description.length <= 8192,
        `description must be 1-8192 characters (got ${JSON.stringify(props.description)})`,
        props.description,
      )
      .matches(
        'alias',
        props.alias,
        /^(?!aws\/)(?!alias\/)[\w/-]{1,250}$/,
        'letters, digits, /_- without the "alias/" prefix and not starting "aws/"',
      )
      .range('deletionWindowInDays', props.deletionWindowInDays, 7, 30)
      .range('rotationPeriodInDays', props.rotationPeriodInDays, 90, 2560);
    for (const principal of props.servicePrincipals ?? []) {
      problems.matches('servicePrincipals', principal, SERVICE_PRINCIPAL, 'service principals like "logs.eu-west-1.amazonaws.com"');
    }
    problems.throwIfAny();

    const account = awsAccountContext(this);
    const principals = [...new Set(props.servicePrincipals ?? [])];
    this.key = new KmsKeyResource(this, 'key', {
      description: props.description,
      enableKeyRotation: true,
      rotationPeriodInDays: props.rotationPeriodInDays ?? 365,
      deletionWindowInDays: props.deletionWindowInDays ?? 30,
      policy: policyDocument(keyPolicyStatements(account, principals)),
    });
    this.arn = this.key.arn;
    this.keyId = this.key.keyId;
    if (props.alias !== undefined) {
      this.aliasName = `alias/${props.alias}`;
      new KmsAlias(this, 'alias', { name: this.aliasName, targetKeyId: this.key.keyId });
    }
  }
}

const USE_KEY = ['kms:Encrypt*', 'kms:Decrypt*', 'kms:ReEncrypt*', 'kms:GenerateDataKey*', 'kms:DescribeKey'];

/** Key policies always name Resource "*": it means "this key". */
function keyPolicyStatements(account: AwsAccountContext, principals: string[]): PolicyStatement[] {
  const statements: PolicyStatement[] = [
    {
      sid: 'AccountRootAdministers',
      actions: ['kms:*'],
      resources: ['*'],
      principals: { AWS: `arn:${account.partition}:iam::${account.accountId}:root` },
    },
  ];
  for (const service of principals) {
    const sid = `ServiceUse${service.split('.').map(capitalise).join('')}`;
    const logsRegion = /^logs\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?$/.exec(service)?.[1];
    if (logsRegion) {
      statements.push({
        sid,
        actions: USE_KEY,
        resources: ['*'],
        principals: { Service: service },
        conditions: {
          ArnLike: {
            'kms:EncryptionContext:aws:logs:arn': `arn:${account.partition}:logs:${logsRegion}:${account.accountId}:log-group:*`,
          },
        },
      });
    } else if (service === 'cloudtrail.amazonaws.com') {
      statements.push(
        {
          sid,
          actions: ['kms:GenerateDataKey*'],
          resources: ['*'],
          principals: { Service: service },
          conditions: {
            StringLike: {
              'kms:EncryptionContext:aws:cloudtrail:arn': `arn:${account.partition}:cloudtrail:*:${account.accountId}:trail/*`,
            },
          },
        },
        { sid: `${sid}Describe`, actions: ['kms:DescribeKey'], resources: ['*'], principals: { Service: service } },
      );
    } else {
      statements.push({ sid, actions: USE_KEY, resources: ['*'], principals: { Service: service } });
    }
  }
  return statements;
}

function capitalise(word: string): string {
  return word
    .split('-')
    .map((w) => w.charAt(0).toUpperCase() + w.slice(1))
    .join('');
}
