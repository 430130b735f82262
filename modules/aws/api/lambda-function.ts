// A Lambda function with least privilege and nothing left implicit: its own log group with
// retention, X-Ray tracing, a dead-letter queue, reserved concurrency, and no literal secrets in
// its environment (pass a secret's ARN; the function reads it at run time).
import { existsSync } from 'node:fs';
import { isAbsolute } from 'node:path';
import { AssetType, TerraformAsset, TerraformResource } from 'cdktf';
import { Construct } from 'constructs';
import { LambdaFunction as AwsLambdaFunction } from '@cdktf/provider-aws/lib/lambda-function/index.js';
import { LambdaPermission } from '@cdktf/provider-aws/lib/lambda-permission/index.js';
import { functionPackage } from '../../core/function-package.js';
import { PropProblems } from '../../core/validation.js';
import { LOG_RETENTION_DAYS, LogGroup } from '../observability/log-group.js';
import { awsAccountContext } from '../security/account.js';
import { type ResourceAccess, ServiceRole } from '../security/iam.js';
import { checkNoLiteralSecrets, KMS_KEY_ARN, KMS_KEY_ARN_WHAT } from '../compute/checks.js';

export const LAMBDA_RUNTIMES = [
  'nodejs20.x',
  'nodejs22.x',
  'nodejs24.x',
  'python3.11',
  'python3.12',
  'python3.13',
  'python3.14',
  'java17',
  'java21',
  'dotnet8',
  'ruby3.3',
  'ruby3.4',
  'provided.al2023',
] as const;

/** Variables Lambda sets itself; a function may not define them. */
const RESERVED_VARIABLES = [
  '_HANDLER',
  '_X_AMZN_TRACE_ID',
  'AWS_DEFAULT_REGION',
  'AWS_REGION',
  'AWS_EXECUTION_ENV',
  'AWS_LAMBDA_FUNCTION_NAME',
  'AWS_LAMBDA_FUNCTION_MEMORY_SIZE',
  'AWS_LAMBDA_FUNCTION_VERSION',
  'AWS_LAMBDA_INITIALIZATION_TYPE',
  'AWS_LAMBDA_LOG_GROUP_NAME',
  'AWS_LAMBDA_LOG_STREAM_NAME',
  'AWS_ACCESS_KEY',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_SESSION_TOKEN',
  'AWS_LAMBDA_RUNTIME_API',
  'LAMBDA_TASK_ROOT',
  'LAMBDA_RUNTIME_DIR',
];

/** Where a placeholder deployment package is expected when no S3 code is given (CI builds it; nothing is fetched). */
export const DEFAULT_PLACEHOLDER_ZIP = 'dist/lambda-placeholder.zip';

export interface S3Code {
  readonly s3Bucket: string;
  readonly s3Key: string;
  /** @default the latest version */
  readonly s3ObjectVersion?: string;
}

export interface LambdaFunctionProps {
  /** Function name: 1-64 letters, digits, `-` and `_`. Also names its log group `/aws/lambda/<name>`. */
  readonly name: string;
  readonly runtime: (typeof LAMBDA_RUNTIMES)[number];
  /** e.g. `index.handler`. */
  readonly handler: string;
  /** The deployment package in S3. @default a local zip at `placeholderZipPath` */
  readonly code?: S3Code;
  /**
   * Absolute path of the handler's TypeScript source. At synth it is bundled with esbuild into
   * `<module>.js` (the part of `handler` before the dot), `@aws-sdk/*` left to the runtime, zipped
   * deterministically and copied into the stack directory's `assets/`; the function's
   * `source_code_hash` is the zip's, so a code change shows in the plan. Exclusive with `code` and
   * `placeholderZipPath`. @default no source: `code`, else the placeholder zip
   */
  readonly entry?: string;
  /** Local zip used when neither `code` nor `entry` is given. @default 'dist/lambda-placeholder.zip' */
  readonly placeholderZipPath?: string;
  /**
   * Concurrent executions reserved for (and capping) this function — required so one function
   * cannot starve the account, and so a runaway cannot scale without limit. 0 stops all
   * invocations; -1 explicitly opts out (shares the account pool, uncapped).
   */
  readonly reservedConcurrency: number;
  /** SQS queue (standard, not FIFO) for events that fail every asynchronous retry; the role may send to it. */
  readonly deadLetterQueueArn: string;
  /** The dead-letter queue's customer-managed key, when it has one. @default none (SQS-managed encryption) */
  readonly deadLetterQueueKmsKeyArn?: string;
  readonly logRetentionDays: number;
  /** @default CloudWatch Logs-owned key */
  readonly logKmsKeyArn?: string;
  /** @default 'JSON' (structured, filterable by level) */
  readonly logFormat?: 'JSON' | 'Text';
  /** What the function may touch; its own log group, X-Ray and the DLQ are always added. @default nothing else */
  readonly access?: ResourceAccess;
  /** Plain configuration; secret-looking entries are refused. @default none */
  readonly environment?: Record<string, string>;
  /** Customer-managed key for the environment variables. @default the AWS managed key `aws/lambda` */
  readonly environmentKmsKeyArn?: string;
  /** Run inside a VPC (adds the ENI-management managed policy to the role). @default not in a VPC */
  readonly vpc?: { readonly subnetIds: readonly string[]; readonly securityGroupIds: readonly string[] };
  /** MiB. @default 256 */
  readonly memorySize?: number;
  /** @default 30 */
  readonly timeoutSeconds?: number;
  /** @default 'x86_64' */
  readonly architecture?: 'x86_64' | 'arm64';
  /** @default none */
  readonly description?: string;
  /** Layer version ARNs. @default none */
  readonly layers?: readonly string[];
}

export class LambdaFunction extends Construct {
  public readonly function: AwsLambdaFunction;
  public readonly arn: string;
  /** For API Gateway integrations. */
  public readonly invokeArn: string;
  public readonly name: string;
  public readonly role: ServiceRole;
  public readonly logGroup: LogGroup;
  /** Set with `entry`: the bundled deployment package inside the stack directory. */
  public readonly asset?: TerraformAsset;

  constructor(scope: Construct, id: string, props: LambdaFunctionProps) {
    super(scope, id);
    validate(this, props);
    const access = props.access ?? {};

    this.logGroup = new LogGroup(this, 'logs', {
      name: `/aws/lambda/${props.name}`,
      retentionInDays: props.logRetentionDays,
      kmsKeyArn: props.logKmsKeyArn,
    });
    const dlqKeys = props.deadLetterQueueKmsKeyArn ? [props.deadLetterQueueKmsKeyArn] : [];
    this.role = new ServiceRole(this, 'role', {
      service: 'lambda.amazonaws.com',
      description: `The ${props.name} function`,
      access: {
        ...access,
        // The equivalent of AWSLambdaBasicExecutionRole, scoped to this function's log group.
        logGroups: [...(access.logGroups ?? []), this.logGroup.arn],
        sendQueues: [...(access.sendQueues ?? []), props.deadLetterQueueArn],
        encryptKeys: [...(access.encryptKeys ?? []), ...dlqKeys],
        decryptKeys: [...(access.decryptKeys ?? []), ...dlqKeys],
        xray: true,
      },
      managedPolicyArns: props.vpc
        ? [`arn:${awsAccountContext(this).partition}:iam::aws:policy/service-role/AWSLambdaENIManagementAccess`]
        : undefined,
    });

    const bundled = props.entry === undefined ? undefined : bundledCode(this, props.name, props.handler, props.entry);
    this.asset = bundled?.asset;
    const code = props.code
      ? { s3Bucket: props.code.s3Bucket, s3Key: props.code.s3Key, s3ObjectVersion: props.code.s3ObjectVersion }
      : bundled
        ? { filename: bundled.asset.path, sourceCodeHash: bundled.sha256Base64 }
        : { filename: props.placeholderZipPath ?? DEFAULT_PLACEHOLDER_ZIP };
    const environment = props.environment ?? {};
    this.function = new AwsLambdaFunction(this, 'function', {
      functionName: props.name,
      description: props.description,
      role: this.role.arn,
      runtime: props.runtime,
      handler: props.handler,
      architectures: [props.architecture ?? 'x86_64'],
      memorySize: props.memorySize ?? 256,
      timeout: props.timeoutSeconds ?? 30,
      reservedConcurrentExecutions: props.reservedConcurrency,
      ...code,
      layers: props.layers && [...props.layers],
      tracingConfig: { mode: 'Active' },
      deadLetterConfig: { targetArn: props.deadLetterQueueArn },
      environment: Object.keys(environment).length > 0 ? { variables: environment } : undefined,
      kmsKeyArn: props.environmentKmsKeyArn,
      vpcConfig: props.vpc ? { subnetIds: [...props.vpc.subnetIds], securityGroupIds: [...props.vpc.securityGroupIds] } : undefined,
      loggingConfig: { logFormat: props.logFormat ?? 'JSON', logGroup: this.logGroup.name },
      // The log group first, so Lambda never creates it itself (without retention); the role's
      // policies first, because Lambda checks DLQ and VPC permissions when the function is created.
      dependsOn: [
        this.logGroup.logGroup,
        ...this.role.node.findAll().filter((c): c is TerraformResource => c instanceof TerraformResource),
      ],
    });
    this.arn = this.function.arn;
    this.invokeArn = this.function.invokeArn;
    this.name = this.function.functionName;
  }

  /** Lets an AWS service principal invoke the function, from `sourceArn` only. */
  allowInvoke(id: string, principal: string, sourceArn: string): LambdaPermission {
    return new LambdaPermission(this, `allow-${id}`, {
      functionName: this.function.functionName,
      action: 'lambda:InvokeFunction',
      principal,
      sourceArn,
    });
  }
}

/** The handler's source bundled into `<module>.js`, zipped, as an asset of the stack. */
function bundledCode(scope: Construct, name: string, handler: string, entry: string): { asset: TerraformAsset; sha256Base64: string } {
  const module = handler.slice(0, handler.lastIndexOf('.'));
  const built = functionPackage({ name, files: { [`${module}.js`]: { bundle: entry } }, external: ['@aws-sdk/*'] });
  const asset = new TerraformAsset(scope, 'code', { path: built.path, type: AssetType.FILE, assetHash: built.hash });
  return { asset, sha256Base64: built.sha256Base64 };
}

function validate(scope: Construct, props: LambdaFunctionProps): void {
  const p = new PropProblems(scope, 'LambdaFunction')
    .matches('name', props.name, /^[A-Za-z0-9_-]{1,64}$/, '1-64 letters, digits, "-" or "_"')
    .oneOf('runtime', props.runtime, LAMBDA_RUNTIMES)
    .matches('handler', props.handler, /^[^\s]{1,128}$/, '1-128 characters without spaces, like "index.handler"')
    .check(
      props.reservedConcurrency === -1 ||
        (Number.isInteger(props.reservedConcurrency) && props.reservedConcurrency >= 0 && props.reservedConcurrency <= 10000),
      `reservedConcurrency must be an integer between 0 and 10000, or -1 to opt out (got ${props.reservedConcurrency})`,
      props.reservedConcurrency,
    )
    .matches(
      'deadLetterQueueArn',
      props.deadLetterQueueArn,
      /^arn:aws(-cn|-us-gov)?:sqs:[a-z0-9-]+:\d{12}:[\w-]{1,80}$/,
      'a standard (not FIFO) SQS queue ARN',
    )
    .matches('deadLetterQueueKmsKeyArn', props.deadLetterQueueKmsKeyArn, KMS_KEY_ARN, KMS_KEY_ARN_WHAT)
    .oneOf('logRetentionDays', props.logRetentionDays, LOG_RETENTION_DAYS as readonly number[])
    .matches('logKmsKeyArn', props.logKmsKeyArn, KMS_KEY_ARN, KMS_KEY_ARN_WHAT)
    .oneOf('logFormat', props.logFormat, ['JSON', 'Text'])
    .matches('environmentKmsKeyArn', props.environmentKmsKeyArn, KMS_KEY_ARN, KMS_KEY_ARN_WHAT)
    .range('memorySize', props.memorySize, 128, 10240)
    .range('timeoutSeconds', props.timeoutSeconds, 1, 900)
    .oneOf('architecture', props.architecture, ['x86_64', 'arm64'])
    .matches('placeholderZipPath', props.placeholderZipPath, /^[\w./-]+\.zip$/, 'a relative path to a .zip file');
  p.check(
    props.code === undefined || props.placeholderZipPath === undefined,
    `code and placeholderZipPath are exclusive (got both: s3://${props.code?.s3Bucket}/${props.code?.s3Key} and ${JSON.stringify(props.placeholderZipPath)})`,
  );
  if (props.entry !== undefined) {
    const given = [props.code && 'code', props.placeholderZipPath !== undefined && 'placeholderZipPath'].filter(Boolean);
    p.check(given.length === 0, `entry excludes code and placeholderZipPath (got entry and ${given.join(' and ')})`);
    p.check(
      isAbsolute(props.entry) && /\.[cm]?[jt]s$/.test(props.entry) && existsSync(props.entry),
      `entry must be the absolute path of an existing .ts or .js file (got ${JSON.stringify(props.entry)})`,
    );
    p.matches('handler', props.handler, /^[\w-]+\.[\w$]+$/, '"<file>.<export>" when entry is given, like "index.handler"');
  }
  if (props.code) p.matches('code.s3Bucket', props.code.s3Bucket, /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name (not an ARN)');
  const environment = props.environment ?? {};
  for (const name of Object.keys(environment)) {
    p.matches('environment', name, /^[A-Za-z][A-Za-z0-9_]*$/, 'variable names of letters, digits and "_", starting with a letter');
    p.check(!RESERVED_VARIABLES.includes(name), `environment.${name} is reserved by Lambda (reserved: ${RESERVED_VARIABLES.join(', ')})`);
  }
  const size = Object.entries(environment).reduce((sum, [k, v]) => sum + k.length + v.length, 0);
  p.check(size <= 4096, `environment must total at most 4096 characters of names and values (got ${size})`);
  checkNoLiteralSecrets(p, 'environment', environment);
  if (props.vpc) {
    p.check(props.vpc.subnetIds.length > 0, 'vpc.subnetIds must list at least one subnet (got [])', props.vpc.subnetIds);
    p.check(
      props.vpc.securityGroupIds.length > 0,
      'vpc.securityGroupIds must list at least one security group (got [])',
      props.vpc.securityGroupIds,
    );
  }
  p.throwIfAny();
}
