// The checkov rules this folder and ../observability promise to pass by default, checked on the
// synthesized JSON of every construct built with its minimal props.
import { Testing } from 'cdktf';
import { LogGroup } from '../observability/log-group.js';
import { CloudTrail } from './cloud-trail.js';
import { ServiceRole } from './iam.js';
import { KmsKey } from './kms-key.js';
import { Secret } from './secret.js';
import { SecurityBaseline } from './security-baseline.js';
import { type TfJson } from '../../../test/modules/synth-json.js';

type Resources = Record<string, Record<string, TfJson>>;
const A = '123456789012';

function synthesizeEverything(): Resources {
  const json = JSON.parse(
    Testing.synthScope((s) => {
      new SecurityBaseline(s, 'baseline', { trailCloudWatchLogs: { retentionInDays: 365 } });
      new CloudTrail(s, 'trail', { name: 'second' });
      const key = new KmsKey(s, 'key', { description: 'logs', servicePrincipals: ['logs.eu-west-1.amazonaws.com'] });
      new LogGroup(s, 'encrypted-logs', { name: 'app', retentionInDays: 30, kmsKeyArn: key.arn });
      new LogGroup(s, 'plain-logs', { name: 'plain', retentionInDays: 7 });
      new Secret(s, 'secret', { name: 'db' });
      new ServiceRole(s, 'role', {
        service: 'lambda.amazonaws.com',
        access: {
          readBuckets: ['arn:aws:s3:::bucket-one'],
          writeBuckets: ['arn:aws:s3:::bucket-one'],
          sendQueues: [`arn:aws:sqs:eu-west-1:${A}:q`],
          consumeQueues: [`arn:aws:sqs:eu-west-1:${A}:q`],
          readTables: [`arn:aws:dynamodb:eu-west-1:${A}:table/table-one`],
          writeTables: [`arn:aws:dynamodb:eu-west-1:${A}:table/table-one`],
          readSecrets: [`arn:aws:secretsmanager:eu-west-1:${A}:secret:s`],
          decryptKeys: [key.arn],
          encryptKeys: [key.arn],
          publishTopics: [`arn:aws:sns:eu-west-1:${A}:t`],
          invokeFunctions: [`arn:aws:lambda:eu-west-1:${A}:function:f`],
          logGroups: [`arn:aws:logs:eu-west-1:${A}:log-group:app`],
          xray: true,
        },
      });
    }),
  );
  return json.resource;
}

let resources: Resources = {};
const all = (type: string) => Object.entries(resources[type] ?? {});

beforeAll(() => {
  resources = synthesizeEverything();
});

describe('secure defaults (checkov rules)', () => {
  test('GIVEN every KMS key WHEN synthesized THEN rotation is on (CKV_AWS_7)', () => {
    expect(all('aws_kms_key').length).toBeGreaterThanOrEqual(4);
    for (const [, key] of all('aws_kms_key')) expect(key.enable_key_rotation).toBe(true);
  });

  test('GIVEN every trail WHEN synthesized THEN it is KMS-encrypted, validated and multi-region (CKV_AWS_35, 36, 67)', () => {
    expect(all('aws_cloudtrail')).toHaveLength(2);
    for (const [, trail] of all('aws_cloudtrail')) {
      expect(trail.kms_key_id).toEqual(expect.any(String));
      expect(trail.enable_log_file_validation).toBe(true);
      expect(trail.is_multi_region_trail).toBe(true);
    }
  });

  test('GIVEN every log group WHEN synthesized THEN it has a retention, and a key where one was given (CKV_AWS_66, 158)', () => {
    const groups: Record<string, TfJson> = Object.fromEntries(all('aws_cloudwatch_log_group').map(([, g]) => [g.name, g]));
    for (const g of Object.values(groups)) expect(g.retention_in_days).toBeGreaterThan(0);
    expect(groups.app.kms_key_id).toMatch(/^\$\{aws_kms_key\./);
  });

  test('GIVEN every secret WHEN synthesized THEN a customer-managed key encrypts it (CKV_AWS_149)', () => {
    for (const [, secret] of all('aws_secretsmanager_secret')) expect(secret.kms_key_id).toMatch(/^\$\{aws_kms_key\..+\.arn\}$/);
  });

  test('GIVEN every IAM policy WHEN synthesized THEN no Action is "*" and Resource "*" appears only for X-Ray actions', () => {
    const policies = [...all('aws_iam_role_policy'), ...all('aws_iam_policy')].map(([, p]) => JSON.parse(p.policy));
    expect(policies.length).toBeGreaterThanOrEqual(3);
    for (const policy of policies) {
      for (const st of policy.Statement) {
        const actions: string[] = [st.Action].flat();
        const resources: string[] = [st.Resource].flat();
        expect(actions).not.toContain('*');
        expect(actions.filter((a) => a.endsWith(':*'))).toEqual([]);
        if (resources.includes('*')) expect(actions.every((a) => a.startsWith('xray:'))).toBe(true);
      }
    }
  });

  test('GIVEN every role WHEN synthesized THEN only a named AWS service may assume it', () => {
    for (const [, role] of all('aws_iam_role')) {
      const [st] = JSON.parse(role.assume_role_policy).Statement;
      expect(st.Principal.Service).toMatch(/^[a-z-]+\.amazonaws\.com$/);
      expect(st.Action).toBe('sts:AssumeRole');
    }
  });
});
