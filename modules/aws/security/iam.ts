// Least-privilege IAM: callers say which resources a function or task touches (ResourceAccess);
// the statements grant the specific actions on those ARNs only. The one wildcard is X-Ray, whose
// write actions do not support resource-level permissions, so AWS requires Resource "*".
import { Lazy, TerraformStack, Token } from 'cdktf';
import { Construct } from 'constructs';
import { IamRole } from '@cdktf/provider-aws/lib/iam-role/index.js';
import { IamRolePolicy } from '@cdktf/provider-aws/lib/iam-role-policy/index.js';
import { IamRolePolicyAttachment } from '@cdktf/provider-aws/lib/iam-role-policy-attachment/index.js';
import { PropProblems } from '../../core/validation.js';
import { policyDocument, type PolicyStatement } from './policy-document.js';
import { UNRESTRICTABLE_ACTIONS } from './unrestrictable-actions.js';

export type { PolicyStatement } from './policy-document.js';

/** The resources a workload touches, by ARN. Every list is optional; empty means no access. */
export interface ResourceAccess {
  /** Bucket ARNs: s3:ListBucket on the bucket, s3:GetObject/GetObjectVersion on its objects. */
  readonly readBuckets?: readonly string[];
  /** Bucket ARNs: s3:PutObject/AbortMultipartUpload/ListMultipartUploadParts on its objects (no delete). */
  readonly writeBuckets?: readonly string[];
  /** Queue ARNs: sqs:SendMessage (+ GetQueueAttributes/GetQueueUrl). */
  readonly sendQueues?: readonly string[];
  /** Queue ARNs: sqs:ReceiveMessage/DeleteMessage/ChangeMessageVisibility (+ GetQueueAttributes/GetQueueUrl). */
  readonly consumeQueues?: readonly string[];
  /** Table ARNs: item reads, queries and scans on the table and its indexes. */
  readonly readTables?: readonly string[];
  /** Table ARNs: item writes (put, update, delete, batch write) on the table. */
  readonly writeTables?: readonly string[];
  /** Secret ARNs: secretsmanager:GetSecretValue/DescribeSecret. */
  readonly readSecrets?: readonly string[];
  /** KMS key ARNs (not aliases: IAM cannot grant use of a key through its alias ARN): kms:Decrypt/DescribeKey. */
  readonly decryptKeys?: readonly string[];
  /** KMS key ARNs: kms:Encrypt/GenerateDataKey — needed to write to KMS-encrypted queues, topics and buckets. */
  readonly encryptKeys?: readonly string[];
  /** Topic ARNs: sns:Publish. */
  readonly publishTopics?: readonly string[];
  /** Function ARNs: lambda:InvokeFunction on the function and (when unqualified) its versions and aliases. */
  readonly invokeFunctions?: readonly string[];
  /** Send traces to X-Ray (Resource "*": X-Ray has no resource-level permissions). */
  readonly xray?: boolean;
  /** Log group ARNs (without a trailing `:*`): logs:CreateLogStream/PutLogEvents. */
  readonly logGroups?: readonly string[];
}

const PARTITION = 'arn:aws(?:-cn|-us-gov)?';
const REGION_ACCOUNT = '[a-z]{2}(?:-[a-z]+)+-\\d:\\d{12}';

type ArnListKey = Exclude<keyof ResourceAccess, 'xray'>;

/** For each list: the ARN shape it accepts (regex + human description). */
const ARN_SHAPES: Record<ArnListKey, { pattern: RegExp; what: string }> = {
  readBuckets: { pattern: new RegExp(`^${PARTITION}:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`), what: 'arn:aws:s3:::<bucket>' },
  writeBuckets: { pattern: new RegExp(`^${PARTITION}:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$`), what: 'arn:aws:s3:::<bucket>' },
  sendQueues: {
    pattern: new RegExp(`^${PARTITION}:sqs:${REGION_ACCOUNT}:[\\w-]{1,80}(?:\\.fifo)?$`),
    what: 'arn:aws:sqs:<region>:<account>:<queue>',
  },
  consumeQueues: {
    pattern: new RegExp(`^${PARTITION}:sqs:${REGION_ACCOUNT}:[\\w-]{1,80}(?:\\.fifo)?$`),
    what: 'arn:aws:sqs:<region>:<account>:<queue>',
  },
  readTables: {
    pattern: new RegExp(`^${PARTITION}:dynamodb:${REGION_ACCOUNT}:table/[\\w.-]{3,255}$`),
    what: 'arn:aws:dynamodb:<region>:<account>:table/<name>',
  },
  writeTables: {
    pattern: new RegExp(`^${PARTITION}:dynamodb:${REGION_ACCOUNT}:table/[\\w.-]{3,255}$`),
    what: 'arn:aws:dynamodb:<region>:<account>:table/<name>',
  },
  readSecrets: {
    pattern: new RegExp(`^${PARTITION}:secretsmanager:${REGION_ACCOUNT}:secret:[\\w/+=.@-]+$`),
    what: 'arn:aws:secretsmanager:<region>:<account>:secret:<name>',
  },
  decryptKeys: {
    pattern: new RegExp(`^${PARTITION}:kms:${REGION_ACCOUNT}:key/[\\w-]+$`),
    what: 'arn:aws:kms:<region>:<account>:key/<key-id>',
  },
  encryptKeys: {
    pattern: new RegExp(`^${PARTITION}:kms:${REGION_ACCOUNT}:key/[\\w-]+$`),
    what: 'arn:aws:kms:<region>:<account>:key/<key-id>',
  },
  publishTopics: {
    pattern: new RegExp(`^${PARTITION}:sns:${REGION_ACCOUNT}:[\\w-]{1,256}(?:\\.fifo)?$`),
    what: 'arn:aws:sns:<region>:<account>:<topic>',
  },
  invokeFunctions: {
    pattern: new RegExp(`^${PARTITION}:lambda:${REGION_ACCOUNT}:function:[\\w-]{1,64}(?::[\\w$-]+)?$`),
    what: 'arn:aws:lambda:<region>:<account>:function:<name>[:<qualifier>]',
  },
  logGroups: {
    pattern: new RegExp(`^${PARTITION}:logs:${REGION_ACCOUNT}:log-group:[\\w./#-]{1,512}$`),
    what: 'arn:aws:logs:<region>:<account>:log-group:<name> (no trailing :*)',
  },
};

/** Every problem in `access` (wrong ARN kind, wildcards, list tokens), each with the bad value and the allowed shape. */
export function resourceAccessProblems(access: ResourceAccess, prefix = 'access'): string[] {
  const problems: string[] = [];
  for (const key of Object.keys(access) as (keyof ResourceAccess)[]) {
    if (key === 'xray') continue;
    const shape = ARN_SHAPES[key];
    const arns = access[key];
    if (!shape) {
      problems.push(`${prefix}.${key} is not a known access kind (allowed: ${[...Object.keys(ARN_SHAPES), 'xray'].join(', ')})`);
      continue;
    }
    if (arns === undefined) continue;
    if (Token.isUnresolved(arns)) {
      problems.push(`${prefix}.${key} must be a literal list of ARNs (got a list token; wrap each ARN instead)`);
      continue;
    }
    for (const arn of arns) {
      if (Token.isUnresolved(arn)) continue;
      if (!shape.pattern.test(arn)) problems.push(`${prefix}.${key} entries must be ${shape.what} (got ${JSON.stringify(arn)})`);
    }
  }
  return problems;
}

/** Specific actions on specific ARNs for `access`; throws one error listing every bad ARN. */
export function leastPrivilegeStatements(access: ResourceAccess): PolicyStatement[] {
  const problems = resourceAccessProblems(access);
  if (problems.length > 0) throw new Error(`leastPrivilegeStatements: ${problems.join('; ')}`);
  const statements: PolicyStatement[] = [];
  const add = (sid: string, actions: string[], resources: readonly string[]) => {
    if (resources.length > 0) statements.push({ sid, actions, resources: [...new Set(resources)] });
  };
  const list = (key: ArnListKey) => access[key] ?? [];

  add('ListReadBuckets', ['s3:ListBucket'], list('readBuckets'));
  add(
    'ReadBucketObjects',
    ['s3:GetObject', 's3:GetObjectVersion'],
    list('readBuckets').map((a) => `${a}/*`),
  );
  add(
    'WriteBucketObjects',
    ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
    list('writeBuckets').map((a) => `${a}/*`),
  );
  add('SendToQueues', ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'], list('sendQueues'));
  add(
    'ConsumeQueues',
    ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
    list('consumeQueues'),
  );
  add(
    'ReadTables',
    [
      'dynamodb:GetItem',
      'dynamodb:BatchGetItem',
      'dynamodb:Query',
      'dynamodb:Scan',
      'dynamodb:ConditionCheckItem',
      'dynamodb:DescribeTable',
    ],
    list('readTables').flatMap((a) => [a, `${a}/index/*`]),
  );
  add(
    'WriteTables',
    ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:DescribeTable'],
    list('writeTables'),
  );
  add('ReadSecrets', ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], list('readSecrets'));
  add('DecryptWithKeys', ['kms:Decrypt', 'kms:DescribeKey'], list('decryptKeys'));
  add('EncryptWithKeys', ['kms:Encrypt', 'kms:GenerateDataKey'], list('encryptKeys'));
  add('PublishToTopics', ['sns:Publish'], list('publishTopics'));
  add(
    'InvokeFunctions',
    ['lambda:InvokeFunction'],
    list('invokeFunctions').flatMap((a) => (isQualifiedFunctionArn(a) ? [a] : [a, `${a}:*`])),
  );
  add(
    'WriteLogs',
    ['logs:CreateLogStream', 'logs:PutLogEvents'],
    list('logGroups').flatMap((a) => [a, `${a}:log-stream:*`]),
  );
  if (access.xray) {
    add(
      'XRayWrite',
      [
        'xray:PutTraceSegments',
        'xray:PutTelemetryRecords',
        'xray:GetSamplingRules',
        'xray:GetSamplingTargets',
        'xray:GetSamplingStatisticSummaries',
      ],
      ['*'],
    );
  }
  return statements;
}

function isQualifiedFunctionArn(arn: string): boolean {
  return !Token.isUnresolved(arn) && arn.split(':').length === 8;
}

export interface ServiceRoleProps {
  /** The service principal that assumes the role, e.g. `lambda.amazonaws.com`, `ecs-tasks.amazonaws.com`. */
  readonly service: string;
  /** What the role may touch. More can be granted later with `grant`. @default no access */
  readonly access?: ResourceAccess;
  /**
   * Managed policies to attach (AWS or customer managed). Each attachment is keyed by the policy
   * name (the part after the last `/`), so that part must be a literal.
   * @default none
   */
  readonly managedPolicyArns?: readonly string[];
  /** @default none */
  readonly description?: string;
  /** Exact role name. @default a Terraform-generated name prefixed with this construct's id */
  readonly name?: string;
  /** @default no permissions boundary */
  readonly permissionsBoundaryArn?: string;
}

/** An IAM role for one AWS service, with an inline least-privilege policy built from ResourceAccess. */
export class ServiceRole extends Construct {
  readonly role: IamRole;
  readonly arn: string;
  readonly name: string;
  private readonly statements: PolicyStatement[] = [];
  private policy?: IamRolePolicy;

  constructor(scope: Construct, id: string, props: ServiceRoleProps) {
    super(scope, id);
    const problems = new PropProblems(this, 'ServiceRole')
      .matches(
        'service',
        props.service,
        /^[a-z0-9-]+(\.[a-z0-9-]+)*\.amazonaws\.com(\.cn)?$/,
        'a service principal like "lambda.amazonaws.com"',
      )
      .matches('name', props.name, /^[\w+=,.@-]{1,64}$/, '1-64 characters of letters, digits and +=,.@_-')
      .matches(
        'description',
        props.description,
        /^[\t\n\r\u0020-\u007E\u00A1-\u00FF]{0,1000}$/,
        'at most 1000 printable Latin-1 characters',
      )
      .matches(
        'permissionsBoundaryArn',
        props.permissionsBoundaryArn,
        /^arn:aws(-cn|-us-gov)?:iam::(aws|\d{12}):policy\/[\w+=,.@/-]+$/,
        'an IAM policy ARN',
      );
    for (const p of resourceAccessProblems(props.access ?? {})) problems.check(false, p);
    const attachments = managedPolicyKeys(props.managedPolicyArns ?? [], problems);
    problems.throwIfAny();

    this.role = new IamRole(this, 'role', {
      name: props.name,
      namePrefix: props.name ? undefined : rolePrefix(this),
      description: props.description,
      permissionsBoundary: props.permissionsBoundaryArn,
      assumeRolePolicy: policyDocument([
        { sid: 'AssumedByService', actions: ['sts:AssumeRole'], resources: [], principals: { Service: props.service } },
      ]),
    });
    this.arn = this.role.arn;
    this.name = this.role.name;
    for (const [key, arn] of attachments) {
      new IamRolePolicyAttachment(this, `managed-${key}`, { role: this.role.name, policyArn: arn });
    }
    if (props.access) this.grant(props.access);
  }

  /** Adds least-privilege statements for `access` to the role's inline policy. */
  grant(access: ResourceAccess): void {
    const problems = resourceAccessProblems(access);
    if (problems.length > 0) throw new Error(`ServiceRole ${this.node.path}: grant: ${problems.join('; ')}`);
    this.addStatements(...leastPrivilegeStatements(access));
  }

  /**
   * Adds hand-written statements (for access ResourceAccess does not model). Wildcard actions and
   * the "*" resource are refused: name the actions and ARNs.
   */
  addStatements(...statements: PolicyStatement[]): void {
    const problems = statements.flatMap(customStatementProblems);
    if (problems.length > 0) throw new Error(`ServiceRole ${this.node.path}: addStatements: ${problems.join('; ')}`);
    if (statements.length === 0) return;
    this.statements.push(...statements);
    this.policy ??= new IamRolePolicy(this, 'access', {
      role: this.role.id,
      name: 'least-privilege',
      policy: Lazy.stringValue({ produce: () => policyDocument(this.statements) }),
    });
  }
}

function customStatementProblems(s: PolicyStatement): string[] {
  const problems: string[] = [];
  const name = `statement ${JSON.stringify(s.sid)}`;
  if (!/^[A-Za-z0-9]+$/.test(s.sid)) problems.push(`${name}: sid must be letters and digits only`);
  if (s.principals) problems.push(`${name}: identity policies take no principals (got ${JSON.stringify(s.principals)})`);
  if (s.actions.length === 0) problems.push(`${name}: actions must name at least one action (got [])`);
  if (s.resources.length === 0) problems.push(`${name}: resources must name at least one ARN (got [])`);
  if ((s.effect ?? 'Allow') === 'Deny') return problems;
  const wildActions = s.actions.filter((a) => !Token.isUnresolved(a) && /^\*$|:\*$/.test(a));
  if (wildActions.length > 0)
    problems.push(`${name}: actions must be specific, not service wildcards (got ${JSON.stringify(wildActions)})`);
  const scoped = s.actions.filter((a) => !UNRESTRICTABLE_ACTIONS.includes(a));
  if (s.resources.includes('*') && scoped.length > 0) {
    problems.push(
      `${name}: resource "*" is only allowed for actions without resource-level permissions such as xray:PutTraceSegments or s3:ListAllMyBuckets (got ${JSON.stringify(scoped)})`,
    );
  }
  return problems;
}

function managedPolicyKeys(arns: readonly string[], problems: PropProblems): Map<string, string> {
  const keyed = new Map<string, string>();
  for (const arn of arns) {
    const key = arn.split('/').pop() ?? '';
    if (Token.isUnresolved(key) || key === '') {
      problems.check(false, `managedPolicyArns entries must end in a literal policy name (got ${JSON.stringify(arn)})`);
    } else if (!Token.isUnresolved(arn) && !/^arn:aws(-cn|-us-gov)?:iam::(aws|\d{12}):policy\/[\w+=,.@/-]+$/.test(arn)) {
      problems.check(false, `managedPolicyArns entries must be arn:aws:iam::<aws|account>:policy/<name> (got ${JSON.stringify(arn)})`);
    } else if (keyed.has(key) && keyed.get(key) !== arn) {
      problems.check(
        false,
        `managedPolicyArns has two policies named ${JSON.stringify(key)} (got ${JSON.stringify(keyed.get(key))} and ${JSON.stringify(arn)})`,
      );
    } else {
      keyed.set(key, arn);
    }
  }
  return keyed;
}

/**
 * IAM name_prefix allows 38 characters and Terraform appends a unique suffix. The construct path
 * below the stack (e.g. `payments-api-role`) says whose role it is; when too long, its end is kept.
 */
function rolePrefix(role: Construct): string {
  const scopes = role.node.scopes;
  const path = scopes
    .slice(scopes.indexOf(TerraformStack.of(role)) + 1)
    .map((c) => c.node.id)
    .join('-')
    .replace(/[^\w+=,.@-]/g, '-');
  return `${path.slice(-37).replace(/^-+/, '')}-`;
}
