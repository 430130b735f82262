import { LambdaFunction as AwsLambdaFunction } from '@cdktf/provider-aws/lib/lambda-function/index.js';
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Testing, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { onlyResource, resourcesOf, stack, synth, type Synth } from '../../../test/modules/synth.js';
import { LambdaFunction, type LambdaFunctionProps } from './lambda-function.js';

const DLQ = 'arn:aws:sqs:eu-west-1:111111111111:orders-dlq';
const KEY = 'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab';
const props = (overrides: Partial<LambdaFunctionProps> = {}): LambdaFunctionProps => ({
  name: 'orders-api',
  runtime: 'nodejs22.x',
  handler: 'index.handler',
  reservedConcurrency: 10,
  deadLetterQueueArn: DLQ,
  logRetentionDays: 30,
  ...overrides,
});
const build =
  (overrides: Partial<LambdaFunctionProps> = {}) =>
  (scope: Construct) =>
    new LambdaFunction(scope, 'fn', props(overrides));

type Statement = { Sid: string; Action: string | string[]; Resource: string | string[] };
const rolePolicy = (s: Synth): Statement[] => JSON.parse(onlyResource(s, 'aws_iam_role_policy').policy as string).Statement;

describe('LambdaFunction', () => {
  test('GIVEN minimal props WHEN synthesized THEN it traces with X-Ray, has a DLQ, reserved concurrency and logs to its own group', () => {
    const out = Testing.synthScope(build());
    expect(out).toHaveResourceWithProperties(AwsLambdaFunction, {
      function_name: 'orders-api',
      runtime: 'nodejs22.x',
      handler: 'index.handler',
      tracing_config: { mode: 'Active' },
      dead_letter_config: { target_arn: DLQ },
      reserved_concurrent_executions: 10,
      memory_size: 256,
      timeout: 30,
      architectures: ['x86_64'],
      filename: 'dist/lambda-placeholder.zip',
      logging_config: expect.objectContaining({ log_format: 'JSON' }),
    });
    const s = JSON.parse(out) as Synth;
    expect(onlyResource(s, 'aws_cloudwatch_log_group')).toMatchObject({ name: '/aws/lambda/orders-api', retention_in_days: 30 });
    const fn = onlyResource(s, 'aws_lambda_function');
    expect(fn.depends_on).toEqual(
      expect.arrayContaining([expect.stringMatching(/^aws_cloudwatch_log_group\./), expect.stringMatching(/^aws_iam_role_policy\./)]),
    );
    expect(fn.environment).toBeUndefined();
    expect(fn.vpc_config).toBeUndefined();
  });

  test('GIVEN minimal props WHEN synthesized THEN the role may write only its own log group, send to the DLQ and trace', () => {
    const s = synth(build());
    const statements = rolePolicy(s);
    expect(statements.map((st) => st.Sid)).toEqual(['SendToQueues', 'WriteLogs', 'XRayWrite']);
    expect(statements.find((st) => st.Sid === 'SendToQueues')).toMatchObject({
      Action: expect.arrayContaining(['sqs:SendMessage']),
      Resource: DLQ,
    });
    expect(statements.find((st) => st.Sid === 'WriteLogs')!.Resource[0]).toMatch(/aws_cloudwatch_log_group\..*\.arn/);
    expect(JSON.parse(onlyResource(s, 'aws_iam_role').assume_role_policy as string).Statement[0].Principal).toEqual({
      Service: 'lambda.amazonaws.com',
    });
    expect(resourcesOf(s, 'aws_iam_role_policy_attachment')).toEqual({});
  });

  test('GIVEN access and an encrypted DLQ WHEN synthesized THEN both are granted alongside the defaults', () => {
    const s = synth(
      build({ access: { readTables: ['arn:aws:dynamodb:eu-west-1:111111111111:table/orders'] }, deadLetterQueueKmsKeyArn: KEY }),
    );
    const sids = rolePolicy(s).map((st) => st.Sid);
    expect(sids).toEqual(['SendToQueues', 'ReadTables', 'DecryptWithKeys', 'EncryptWithKeys', 'WriteLogs', 'XRayWrite']);
  });

  test('GIVEN S3 code, a VPC and every optional prop WHEN synthesized THEN each reaches the output', () => {
    const s = synth(
      build({
        code: { s3Bucket: 'artifacts-bucket', s3Key: 'orders/1.2.3.zip', s3ObjectVersion: 'v7' },
        vpc: { subnetIds: ['subnet-a'], securityGroupIds: ['sg-fn'] },
        environment: { TABLE_NAME: 'orders', DB_PASSWORD_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:111111111111:secret:db-AbCdEf' },
        environmentKmsKeyArn: KEY,
        logKmsKeyArn: KEY,
        logFormat: 'Text',
        memorySize: 1024,
        timeoutSeconds: 60,
        architecture: 'arm64',
        description: 'Orders API',
        layers: ['arn:aws:lambda:eu-west-1:111111111111:layer:otel:3'],
        reservedConcurrency: -1,
      }),
    );
    const fn = onlyResource(s, 'aws_lambda_function');
    expect(fn).toMatchObject({
      s3_bucket: 'artifacts-bucket',
      s3_key: 'orders/1.2.3.zip',
      s3_object_version: 'v7',
      vpc_config: { subnet_ids: ['subnet-a'], security_group_ids: ['sg-fn'] },
      kms_key_arn: KEY,
      memory_size: 1024,
      timeout: 60,
      architectures: ['arm64'],
      description: 'Orders API',
      layers: ['arn:aws:lambda:eu-west-1:111111111111:layer:otel:3'],
      reserved_concurrent_executions: -1,
      logging_config: expect.objectContaining({ log_format: 'Text' }),
      environment: { variables: { TABLE_NAME: 'orders', DB_PASSWORD_SECRET_ARN: expect.stringMatching(/^arn:aws:secretsmanager/) } },
    });
    expect(fn.filename).toBeUndefined();
    expect(onlyResource(s, 'aws_cloudwatch_log_group').kms_key_id).toBe(KEY);
    const attachment = onlyResource(s, 'aws_iam_role_policy_attachment');
    expect(attachment.policy_arn).toMatch(
      /^arn:\$\{data\.aws_partition\..*\}:iam::aws:policy\/service-role\/AWSLambdaENIManagementAccess$/,
    );
    expect(fn.depends_on).toEqual(expect.arrayContaining([expect.stringMatching(/^aws_iam_role_policy_attachment\./)]));
  });

  test('GIVEN a placeholderZipPath WHEN synthesized THEN that file is the package', () => {
    expect(onlyResource(synth(build({ placeholderZipPath: 'build/orders.zip' })), 'aws_lambda_function').filename).toBe('build/orders.zip');
  });

  describe('GIVEN an entry', () => {
    const root = mkdtempSync(join(tmpdir(), 'lambda-entry-test-'));
    afterAll(() => rmSync(root, { recursive: true, force: true }));
    writeFileSync(join(root, 'package.json'), '{}');
    mkdirSync(join(root, 'src'));
    const entry = join(root, 'src', 'orders.ts');
    writeFileSync(entry, "export const handler = async (): Promise<string> => 'orders v1';\n");

    /** A real app synthesized to disk: the stack directory as the runner copies it. */
    const synthToDisk = (source = entry) => {
      const outdir = join(root, `out-${Math.random().toString(36).slice(2)}`);
      const app = new App({ outdir, skipValidation: true });
      new LambdaFunction(new TerraformStack(app, 'orders'), 'fn', props({ handler: 'orders.handler', entry: source }));
      app.synth();
      const stackDir = join(outdir, 'stacks', 'orders');
      const json = JSON.parse(readFileSync(join(stackDir, 'cdk.tf.json'), 'utf8')) as Synth;
      return { stackDir, fn: onlyResource(json, 'aws_lambda_function') };
    };

    test("WHEN synthesized THEN the function deploys a zip inside its stack directory, with the zip's hash", () => {
      const { stackDir, fn } = synthToDisk();
      expect(fn.filename).toMatch(/^assets\/fn_code_[0-9A-F]{8}\/[0-9a-f]{64}\/orders-api\.zip$/);
      const zip = join(stackDir, fn.filename as string);
      expect(existsSync(zip)).toBe(true);
      expect(fn.source_code_hash).toBe(createHash('sha256').update(readFileSync(zip)).digest('base64'));
      expect(execFileSync('unzip', ['-Z1', zip], { encoding: 'utf8' }).trim()).toBe('orders.js');
      expect(execFileSync('unzip', ['-p', zip, 'orders.js'], { encoding: 'utf8' })).toContain('"orders v1"');
      expect(fn.s3_bucket).toBeUndefined();
    });

    test('WHEN synthesized twice THEN the package is the same; WHEN the code changes THEN filename and hash change', () => {
      const first = synthToDisk().fn;
      expect(synthToDisk().fn).toMatchObject({ filename: first.filename, source_code_hash: first.source_code_hash });
      const changed = join(root, 'src', 'orders-v2.ts');
      writeFileSync(changed, "export const handler = async (): Promise<string> => 'orders v2';\n");
      const second = synthToDisk(changed).fn;
      expect(second.filename).not.toBe(first.filename);
      expect(second.source_code_hash).not.toBe(first.source_code_hash);
    });

    test('WHEN combined with code or a placeholder, or not a file, or with a nested handler THEN one error lists each', () => {
      expect(() =>
        build({
          entry: join(root, 'src', 'missing.ts'),
          handler: 'lib/orders.handler',
          code: { s3Bucket: 'artifacts', s3Key: 'a.zip' },
        })(stack()),
      ).toThrow(
        'LambdaFunction test/fn: entry excludes code and placeholderZipPath (got entry and code); ' +
          `entry must be the absolute path of an existing .ts or .js file (got ${JSON.stringify(join(root, 'src', 'missing.ts'))}); ` +
          'handler must be "<file>.<export>" when entry is given, like "index.handler" (got "lib/orders.handler")',
      );
      expect(() => build({ entry: 'src/orders.ts', placeholderZipPath: 'x.zip' })(stack())).toThrow(
        'entry excludes code and placeholderZipPath (got entry and placeholderZipPath); entry must be the absolute path of an existing .ts or .js file (got "src/orders.ts")',
      );
    });
  });

  test('GIVEN allowInvoke WHEN synthesized THEN a permission names the principal and the source ARN', () => {
    const s = synth((scope) =>
      build()(scope).allowInvoke('events', 'events.amazonaws.com', 'arn:aws:events:eu-west-1:111111111111:rule/nightly'),
    );
    expect(onlyResource(s, 'aws_lambda_permission')).toMatchObject({
      action: 'lambda:InvokeFunction',
      principal: 'events.amazonaws.com',
      source_arn: 'arn:aws:events:eu-west-1:111111111111:rule/nightly',
    });
  });

  test('GIVEN the construct WHEN read THEN it exposes arn, invokeArn, name and the role', () => {
    const fn = new LambdaFunction(stack(), 'fn', props());
    expect([fn.arn, fn.invokeArn, fn.name, fn.role.arn].every((v) => v.includes('TfToken'))).toBe(true);
  });

  test('GIVEN secret-looking environment variables WHEN constructed THEN each is refused without echoing its value', () => {
    let message = '';
    try {
      build({
        environment: {
          DB_PASSWORD: 'hunter2hunter2',
          STRIPE_API_KEY: 'sk_live_abc',
          UPSTREAM: 'AKIAIOSFODNN7EXAMPLE',
          GITHUB_TOKEN_TTL: '3600',
        },
      })(stack());
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message).toBe(
      "LambdaFunction test/fn: environment.DB_PASSWORD looks like a literal secret (got a 14-character value); pass the secret's ARN (e.g. DB_PASSWORD_ARN) and read it at run time; " +
        "environment.STRIPE_API_KEY looks like a literal secret (got a 11-character value); pass the secret's ARN (e.g. STRIPE_API_KEY_ARN) and read it at run time; " +
        'environment.UPSTREAM holds an AWS access key id (got a value starting "AKIA"); grant the role access instead of passing keys',
    );
    expect(message).not.toContain('hunter2');
    expect(message).not.toContain('sk_live');
  });

  test('GIVEN bad props WHEN constructed THEN one error lists every problem with values and allowed values', () => {
    expect(() =>
      build({
        name: 'orders api',
        runtime: 'nodejs14.x' as 'nodejs22.x',
        reservedConcurrency: -5,
        deadLetterQueueArn: 'arn:aws:sqs:eu-west-1:111111111111:orders.fifo',
        logRetentionDays: 0,
        memorySize: 64,
        timeoutSeconds: 901,
        code: { s3Bucket: 'arn:aws:s3:::artifacts', s3Key: 'a.zip' },
        placeholderZipPath: 'x.zip',
        environment: { AWS_REGION: 'eu-west-1', 'bad-name': 'x' },
        vpc: { subnetIds: [], securityGroupIds: ['sg-1'] },
      })(stack()),
    ).toThrow(
      'LambdaFunction test/fn: name must be 1-64 letters, digits, "-" or "_" (got "orders api"); ' +
        'runtime must be one of "nodejs20.x", "nodejs22.x", "nodejs24.x", "python3.11", "python3.12", "python3.13", "python3.14", "java17", "java21", "dotnet8", "ruby3.3", "ruby3.4", "provided.al2023" (got "nodejs14.x"); ' +
        'reservedConcurrency must be an integer between 0 and 10000, or -1 to opt out (got -5); ' +
        'deadLetterQueueArn must be a standard (not FIFO) SQS queue ARN (got "arn:aws:sqs:eu-west-1:111111111111:orders.fifo"); ' +
        'logRetentionDays must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653 (got 0); ' +
        'memorySize must be an integer between 128 and 10240 (got 64); ' +
        'timeoutSeconds must be an integer between 1 and 900 (got 901); ' +
        'code and placeholderZipPath are exclusive (got both: s3://arn:aws:s3:::artifacts/a.zip and "x.zip"); ' +
        'code.s3Bucket must be an S3 bucket name (not an ARN) (got "arn:aws:s3:::artifacts"); ' +
        'environment.AWS_REGION is reserved by Lambda (reserved: _HANDLER, _X_AMZN_TRACE_ID, AWS_DEFAULT_REGION, AWS_REGION, AWS_EXECUTION_ENV, AWS_LAMBDA_FUNCTION_NAME, AWS_LAMBDA_FUNCTION_MEMORY_SIZE, AWS_LAMBDA_FUNCTION_VERSION, AWS_LAMBDA_INITIALIZATION_TYPE, AWS_LAMBDA_LOG_GROUP_NAME, AWS_LAMBDA_LOG_STREAM_NAME, AWS_ACCESS_KEY, AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN, AWS_LAMBDA_RUNTIME_API, LAMBDA_TASK_ROOT, LAMBDA_RUNTIME_DIR); ' +
        'environment must be variable names of letters, digits and "_", starting with a letter (got "bad-name"); ' +
        'vpc.subnetIds must list at least one subnet (got [])',
    );
  });

  test('GIVEN an environment over 4 KB WHEN constructed THEN the size is reported', () => {
    expect(() => build({ environment: { BIG: 'x'.repeat(5000) } })(stack())).toThrow(
      'environment must total at most 4096 characters of names and values (got 5003)',
    );
  });
});
