import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import fc from 'fast-check';
import { leastPrivilegeStatements, resourceAccessProblems, ServiceRole, type ResourceAccess } from './iam.js';
import { synth, resourcesOf } from '../../../test/modules/synth-json.js';

const A = '123456789012';
const BUCKET = 'arn:aws:s3:::orders-bucket';
const QUEUE = `arn:aws:sqs:eu-west-1:${A}:orders`;
const DLQ = `arn:aws:sqs:eu-west-1:${A}:orders-dlq.fifo`;
const TABLE = `arn:aws:dynamodb:eu-west-1:${A}:table/orders`;
const SECRET = `arn:aws:secretsmanager:eu-west-1:${A}:secret:db-AbCdEf`;
const KEY = `arn:aws:kms:eu-west-1:${A}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
const TOPIC = `arn:aws:sns:eu-west-1:${A}:alarms`;
const FN = `arn:aws:lambda:eu-west-1:${A}:function:resize`;
const LOGS = `arn:aws:logs:eu-west-1:${A}:log-group:/aws/lambda/resize`;

describe('leastPrivilegeStatements', () => {
  test('GIVEN every access kind WHEN built THEN each gets its specific actions on exactly the given ARNs', () => {
    expect(
      leastPrivilegeStatements({
        readBuckets: [BUCKET],
        writeBuckets: [BUCKET],
        sendQueues: [QUEUE],
        consumeQueues: [DLQ],
        readTables: [TABLE],
        writeTables: [TABLE],
        readSecrets: [SECRET],
        decryptKeys: [KEY],
        encryptKeys: [KEY],
        publishTopics: [TOPIC],
        invokeFunctions: [FN, `${FN}:live`],
        logGroups: [LOGS],
      }),
    ).toEqual([
      { sid: 'ListReadBuckets', actions: ['s3:ListBucket'], resources: [BUCKET] },
      { sid: 'ReadBucketObjects', actions: ['s3:GetObject', 's3:GetObjectVersion'], resources: [`${BUCKET}/*`] },
      {
        sid: 'WriteBucketObjects',
        actions: ['s3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
        resources: [`${BUCKET}/*`],
      },
      { sid: 'SendToQueues', actions: ['sqs:SendMessage', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'], resources: [QUEUE] },
      {
        sid: 'ConsumeQueues',
        actions: ['sqs:ReceiveMessage', 'sqs:DeleteMessage', 'sqs:ChangeMessageVisibility', 'sqs:GetQueueAttributes', 'sqs:GetQueueUrl'],
        resources: [DLQ],
      },
      {
        sid: 'ReadTables',
        actions: [
          'dynamodb:GetItem',
          'dynamodb:BatchGetItem',
          'dynamodb:Query',
          'dynamodb:Scan',
          'dynamodb:ConditionCheckItem',
          'dynamodb:DescribeTable',
        ],
        resources: [TABLE, `${TABLE}/index/*`],
      },
      {
        sid: 'WriteTables',
        actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem', 'dynamodb:BatchWriteItem', 'dynamodb:DescribeTable'],
        resources: [TABLE],
      },
      { sid: 'ReadSecrets', actions: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], resources: [SECRET] },
      { sid: 'DecryptWithKeys', actions: ['kms:Decrypt', 'kms:DescribeKey'], resources: [KEY] },
      { sid: 'EncryptWithKeys', actions: ['kms:Encrypt', 'kms:GenerateDataKey'], resources: [KEY] },
      { sid: 'PublishToTopics', actions: ['sns:Publish'], resources: [TOPIC] },
      { sid: 'InvokeFunctions', actions: ['lambda:InvokeFunction'], resources: [FN, `${FN}:*`, `${FN}:live`] },
      { sid: 'WriteLogs', actions: ['logs:CreateLogStream', 'logs:PutLogEvents'], resources: [LOGS, `${LOGS}:log-stream:*`] },
    ]);
  });

  test('GIVEN xray WHEN built THEN only the X-Ray write actions are granted on "*"', () => {
    expect(leastPrivilegeStatements({ xray: true })).toEqual([
      {
        sid: 'XRayWrite',
        actions: [
          'xray:PutTraceSegments',
          'xray:PutTelemetryRecords',
          'xray:GetSamplingRules',
          'xray:GetSamplingTargets',
          'xray:GetSamplingStatisticSummaries',
        ],
        resources: ['*'],
      },
    ]);
  });

  test('GIVEN no access, empty lists or xray false WHEN built THEN no statement is produced', () => {
    expect(leastPrivilegeStatements({})).toEqual([]);
    expect(leastPrivilegeStatements({ readBuckets: [], xray: false })).toEqual([]);
  });

  test('GIVEN the same ARN twice WHEN built THEN it is listed once', () => {
    expect(leastPrivilegeStatements({ publishTopics: [TOPIC, TOPIC] })).toEqual([
      { sid: 'PublishToTopics', actions: ['sns:Publish'], resources: [TOPIC] },
    ]);
  });

  test('GIVEN token ARNs WHEN built THEN they are accepted and suffixes are appended to the token', () => {
    const arn = Fn.lower('X');
    const [list, read] = leastPrivilegeStatements({ readBuckets: [arn] });
    expect(list.resources).toEqual([arn]);
    expect(read.resources).toEqual([`${arn}/*`]);
  });

  test('GIVEN any mix of valid ARNs WHEN built THEN no statement has a "*" action or, except X-Ray, a "*" resource', () => {
    const name = fc.stringMatching(/^[a-z][a-z0-9-]{1,20}[a-z0-9]$/);
    fc.assert(
      fc.property(
        fc.array(name, { maxLength: 3 }),
        fc.array(name, { maxLength: 3 }),
        fc.array(name, { maxLength: 3 }),
        fc.boolean(),
        (buckets, queues, fns, xray) => {
          const access: ResourceAccess = {
            readBuckets: buckets.map((b) => `arn:aws:s3:::${b}`),
            writeBuckets: buckets.map((b) => `arn:aws:s3:::${b}`),
            consumeQueues: queues.map((q) => `arn:aws:sqs:eu-west-1:${A}:${q}`),
            invokeFunctions: fns.map((f) => `arn:aws:lambda:eu-west-1:${A}:function:${f}`),
            xray,
          };
          for (const s of leastPrivilegeStatements(access)) {
            expect(s.actions.some((a) => a === '*' || a.endsWith(':*'))).toBe(false);
            if (s.sid !== 'XRayWrite') expect(s.resources).not.toContain('*');
            else expect(s.actions.every((a) => a.startsWith('xray:'))).toBe(true);
          }
        },
      ),
      { numRuns: 100 },
    );
  });

  test('GIVEN wrong kinds of ARN, wildcards and a list token WHEN built THEN one error lists every bad value with the allowed shape', () => {
    expect(() =>
      leastPrivilegeStatements({
        readBuckets: ['orders-bucket', 'arn:aws:s3:::orders-bucket/*'],
        sendQueues: ['https://sqs.eu-west-1.amazonaws.com/123456789012/orders'],
        decryptKeys: [`arn:aws:kms:eu-west-1:${A}:alias/orders`],
        logGroups: [`${LOGS}:*`],
        readSecrets: Fn.split(',', 'a,b'),
      }),
    ).toThrow(
      'leastPrivilegeStatements: ' +
        'access.readBuckets entries must be arn:aws:s3:::<bucket> (got "orders-bucket"); ' +
        'access.readBuckets entries must be arn:aws:s3:::<bucket> (got "arn:aws:s3:::orders-bucket/*"); ' +
        'access.sendQueues entries must be arn:aws:sqs:<region>:<account>:<queue> (got "https://sqs.eu-west-1.amazonaws.com/123456789012/orders"); ' +
        `access.decryptKeys entries must be arn:aws:kms:<region>:<account>:key/<key-id> (got "arn:aws:kms:eu-west-1:${A}:alias/orders"); ` +
        `access.logGroups entries must be arn:aws:logs:<region>:<account>:log-group:<name> (no trailing :*) (got "${LOGS}:*"); ` +
        'access.readSecrets must be a literal list of ARNs (got a list token; wrap each ARN instead)',
    );
  });

  test('GIVEN an unknown access kind WHEN checked THEN the allowed kinds are listed', () => {
    expect(resourceAccessProblems({ readBucket: [BUCKET] } as unknown as ResourceAccess)).toEqual([
      expect.stringMatching(/^access\.readBucket is not a known access kind \(allowed: readBuckets, writeBuckets, .*logGroups, xray\)$/),
    ]);
  });
});

describe('ServiceRole', () => {
  test('GIVEN only a service WHEN synthesized THEN the role trusts that service, gets a prefixed name and has no policy', () => {
    const json = synth((s) => new ServiceRole(s, 'resize-fn', { service: 'lambda.amazonaws.com' }));
    const [role] = resourcesOf(json, 'aws_iam_role');
    expect(role.name_prefix).toBe('resize-fn-');
    expect(role.name).toBeUndefined();
    expect(JSON.parse(role.assume_role_policy)).toEqual({
      Version: '2012-10-17',
      Statement: [{ Sid: 'AssumedByService', Effect: 'Allow', Principal: { Service: 'lambda.amazonaws.com' }, Action: 'sts:AssumeRole' }],
    });
    expect(json.resource.aws_iam_role_policy).toBeUndefined();
    expect(json.resource.aws_iam_role_policy_attachment).toBeUndefined();
  });

  test('GIVEN access WHEN synthesized THEN one inline policy holds the least-privilege statements', () => {
    const json = synth(
      (s) => new ServiceRole(s, 'r', { service: 'ecs-tasks.amazonaws.com', access: { publishTopics: [TOPIC], xray: true } }),
    );
    const [policy] = resourcesOf(json, 'aws_iam_role_policy');
    expect(policy.role).toMatch(/^\$\{aws_iam_role\..+\.id\}$/);
    expect(JSON.parse(policy.policy).Statement.map((s: { Sid: string }) => s.Sid)).toEqual(['PublishToTopics', 'XRayWrite']);
  });

  test('GIVEN grants after construction WHEN synthesized THEN they merge into the same policy by statement', () => {
    const json = synth((s) => {
      const role = new ServiceRole(s, 'r', { service: 'lambda.amazonaws.com', access: { publishTopics: [TOPIC] } });
      role.grant({ publishTopics: [`arn:aws:sns:eu-west-1:${A}:other`], readSecrets: [SECRET] });
      role.addStatements({ sid: 'DescribeOrders', actions: ['dynamodb:DescribeTable'], resources: [TABLE] });
    });
    const policies = resourcesOf(json, 'aws_iam_role_policy');
    expect(policies).toHaveLength(1);
    const statements = JSON.parse(policies[0].policy).Statement;
    expect(statements).toEqual([
      { Sid: 'PublishToTopics', Effect: 'Allow', Action: 'sns:Publish', Resource: [TOPIC, `arn:aws:sns:eu-west-1:${A}:other`] },
      { Sid: 'ReadSecrets', Effect: 'Allow', Action: ['secretsmanager:GetSecretValue', 'secretsmanager:DescribeSecret'], Resource: SECRET },
      { Sid: 'DescribeOrders', Effect: 'Allow', Action: 'dynamodb:DescribeTable', Resource: TABLE },
    ]);
  });

  test('GIVEN managed policies, a name, a description and a boundary WHEN synthesized THEN attachments are keyed by policy name', () => {
    const json = synth(
      (s) =>
        new ServiceRole(s, 'r', {
          service: 'lambda.amazonaws.com',
          name: 'resize-role',
          description: 'Resizes images',
          permissionsBoundaryArn: `arn:aws:iam::${A}:policy/boundary`,
          managedPolicyArns: [
            'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
            `arn:${Fn.lower('AWS')}:iam::aws:policy/AWSXrayWriteOnlyAccess`,
          ],
        }),
    );
    const [role] = resourcesOf(json, 'aws_iam_role');
    expect(role).toMatchObject({
      name: 'resize-role',
      description: 'Resizes images',
      permissions_boundary: `arn:aws:iam::${A}:policy/boundary`,
    });
    expect(role.name_prefix).toBeUndefined();
    const ids = Object.keys(json.resource.aws_iam_role_policy_attachment);
    expect(ids).toEqual([
      expect.stringContaining('managed-AWSLambdaBasicExecutionRole'),
      expect.stringContaining('managed-AWSXrayWriteOnlyAccess'),
    ]);
  });

  test('GIVEN a role nested in another construct WHEN synthesized THEN the name prefix names its owner', () => {
    const json = synth((s) => new ServiceRole(new Construct(s, 'payments-api'), 'role', { service: 'lambda.amazonaws.com' }));
    expect(resourcesOf(json, 'aws_iam_role')[0].name_prefix).toBe('payments-api-role-');
  });

  test('GIVEN a long construct id WHEN synthesized THEN the name prefix is cut to the 38 characters IAM allows', () => {
    const json = synth((s) => new ServiceRole(s, 'a'.repeat(60), { service: 'lambda.amazonaws.com' }));
    expect(resourcesOf(json, 'aws_iam_role')[0].name_prefix).toBe(`${'a'.repeat(37)}-`);
  });

  test('GIVEN bad props WHEN constructed THEN one error lists every problem with its value', () => {
    expect(() =>
      synth(
        (s) =>
          new ServiceRole(s, 'r', {
            service: 'lambda',
            name: 'has space',
            permissionsBoundaryArn: 'boundary',
            access: { readBuckets: ['bucket'] },
            managedPolicyArns: [
              'AWSLambdaBasicExecutionRole',
              'arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole',
              `arn:aws:iam::${A}:policy/AWSLambdaBasicExecutionRole`,
              `arn:aws:iam::${A}:policy/${Fn.lower('X')}`,
            ],
          }),
      ),
    ).toThrow(
      'ServiceRole stack/r: service must be a service principal like "lambda.amazonaws.com" (got "lambda"); ' +
        'name must be 1-64 characters of letters, digits and +=,.@_- (got "has space"); ' +
        'permissionsBoundaryArn must be an IAM policy ARN (got "boundary"); ' +
        'access.readBuckets entries must be arn:aws:s3:::<bucket> (got "bucket"); ' +
        'managedPolicyArns entries must be arn:aws:iam::<aws|account>:policy/<name> (got "AWSLambdaBasicExecutionRole"); ' +
        `managedPolicyArns has two policies named "AWSLambdaBasicExecutionRole" (got "arn:aws:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole" and "arn:aws:iam::${A}:policy/AWSLambdaBasicExecutionRole"); ` +
        'managedPolicyArns entries must end in a literal policy name',
    );
  });

  test('GIVEN hand-written statements with wildcards, principals or "*" resources WHEN added THEN one error lists them', () => {
    expect(() =>
      synth((s) => {
        const role = new ServiceRole(s, 'r', { service: 'lambda.amazonaws.com' });
        role.addStatements(
          { sid: 'All', actions: ['s3:*'], resources: [BUCKET] },
          { sid: 'Anything', actions: ['sqs:SendMessage'], resources: ['*'] },
          { sid: 'bad-sid', actions: [], resources: [], principals: { AWS: A } },
        );
      }),
    ).toThrow(
      'ServiceRole stack/r: addStatements: statement "All": actions must be specific, not service wildcards (got ["s3:*"]); ' +
        'statement "Anything": resource "*" is only allowed for actions without resource-level permissions such as xray:PutTraceSegments or s3:ListAllMyBuckets (got ["sqs:SendMessage"]); ' +
        'statement "bad-sid": sid must be letters and digits only; ' +
        `statement "bad-sid": identity policies take no principals (got {"AWS":"${A}"}); ` +
        'statement "bad-sid": actions must name at least one action (got []); ' +
        'statement "bad-sid": resources must name at least one ARN (got [])',
    );
  });

  test('GIVEN a Deny statement on "*" WHEN added THEN it is accepted (denies cannot widen access)', () => {
    const json = synth((s) => {
      new ServiceRole(s, 'r', { service: 'lambda.amazonaws.com' }).addStatements({
        sid: 'NoDeletes',
        effect: 'Deny',
        actions: ['s3:DeleteObject'],
        resources: ['*'],
      });
    });
    expect(JSON.parse(resourcesOf(json, 'aws_iam_role_policy')[0].policy).Statement[0]).toMatchObject({ Effect: 'Deny', Resource: '*' });
  });

  test('GIVEN s3:ListAllMyBuckets, which has no resource-level permission, WHEN allowed on "*" THEN it is accepted', () => {
    const json = synth((s) => {
      new ServiceRole(s, 'r', { service: 'lambda.amazonaws.com' }).addStatements({
        sid: 'ListBuckets',
        actions: ['s3:ListAllMyBuckets'],
        resources: ['*'],
      });
    });
    expect(JSON.parse(resourcesOf(json, 'aws_iam_role_policy')[0].policy).Statement[0]).toMatchObject({
      Action: 's3:ListAllMyBuckets',
      Resource: '*',
    });
  });

  test('GIVEN a bad ARN in a later grant WHEN granted THEN the error names the role and the grant', () => {
    expect(() => synth((s) => new ServiceRole(s, 'r', { service: 'lambda.amazonaws.com' }).grant({ publishTopics: ['alarms'] }))).toThrow(
      'ServiceRole stack/r: grant: access.publishTopics entries must be arn:aws:sns:<region>:<account>:<topic> (got "alarms")',
    );
  });
});
