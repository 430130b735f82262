import { Testing } from 'cdktf';
import { envNamed, ofType, one, synthesizeSystem, systemContext, type Resource } from '../../../test/modules/system-synth.js';
import { imagingSettings } from '../settings.js';
import { CACHE_BACKUP_SCHEDULE, cacheBackupBucketName } from './cache-backup.js';
import { imagingSystem, ImagingStack } from './index.js';

const { stackOf } = synthesizeSystem(imagingSystem);
const PRIMARY = 'imaging-prod';
const DR_STACK = 'imaging-prod-eu-central-1';
const ACCOUNT = '333333333333';
const policiesOf = (name: string) =>
  ofType(stackOf(name), 'aws_s3_bucket_policy').map((p) => JSON.parse(p.policy as string) as { Statement: Resource[] });
const exporter = (name: string) =>
  ofType(stackOf(name), 'aws_lambda_function').find((f) => String(f.function_name).endsWith('-cache-backup'));

describe('imaging cache backup to the DR region', () => {
  test('GIVEN prod with dr WHEN synthesized THEN a daily rule runs the export function after the cache snapshot window', () => {
    const fn = exporter(PRIMARY)!;
    const bucket = ofType(stackOf(PRIMARY), 'aws_s3_bucket').find((b) => String(b.bucket ?? '').includes('cache-backups'))!;
    expect(bucket.bucket).toBe(cacheBackupBucketName('prod', 'eu-west-1', ACCOUNT));
    expect(fn).toMatchObject({ function_name: 'imaging-prod-cache-backup', reserved_concurrent_executions: 1 });
    expect((fn.environment as Resource).variables).toMatchObject({
      REPLICATION_GROUP_ID: 'imaging-prod',
      BACKUP_BUCKET: expect.stringMatching(/^\$\{aws_s3_bucket\.cache-backup_bucket_[0-9A-F]{8}\.id\}$/),
    });
    const rule = ofType(stackOf(PRIMARY), 'aws_cloudwatch_event_rule').find((r) => r.name === 'imaging-prod-cache-backup')!;
    expect(rule.schedule_expression).toBe(CACHE_BACKUP_SCHEDULE);
    expect(one(stackOf(PRIMARY), 'aws_elasticache_replication_group')).toMatchObject({ snapshot_window: '03:00-04:00' });
    const permission = ofType(stackOf(PRIMARY), 'aws_lambda_permission').find((p) => p.principal === 'events.amazonaws.com');
    expect(permission).toBeDefined();
  });

  test("GIVEN the export function WHEN its role is read THEN it may describe and copy only the group's snapshots", () => {
    const policies = ofType(stackOf(PRIMARY), 'aws_iam_role_policy').map(
      (p) => JSON.parse(p.policy as string) as { Statement: Resource[] },
    );
    const statements = policies
      .flatMap((p) => p.Statement)
      .filter((s) => ['DescribeAndCopyThisGroupsSnapshots', 'ListBucketsForExport'].includes(s.Sid as string));
    expect(statements).toEqual([
      expect.objectContaining({
        Action: ['elasticache:DescribeSnapshots', 'elasticache:CopySnapshot'],
        Resource: [
          expect.stringMatching(/:elasticache:eu-west-1:333333333333:replicationgroup:imaging-prod$/),
          expect.stringMatching(/:elasticache:eu-west-1:333333333333:snapshot:\*imaging-prod\*$/),
        ],
      }),
      expect.objectContaining({ Action: 's3:ListAllMyBuckets', Resource: '*' }),
    ]);
  });

  test("GIVEN both copies WHEN synthesized THEN each backup bucket lets only its region's ElastiCache export and seed, for this account", () => {
    for (const [name, region] of [
      [PRIMARY, 'eu-west-1'],
      [DR_STACK, 'eu-central-1'],
    ] as const) {
      const grant = policiesOf(name)
        .flatMap((p) => p.Statement)
        .find((s) => s.Sid === 'ElastiCacheSnapshotExportAndSeed')!;
      expect([name, grant.Principal, grant.Condition]).toEqual([
        name,
        { Service: [`${region}.elasticache-snapshot.amazonaws.com`] },
        { StringEquals: { 'aws:SourceAccount': [ACCOUNT] } },
      ]);
      expect(grant.Action).toContain('s3:PutObject');
    }
  });

  test("GIVEN the prod primary WHEN synthesized THEN its backups replicate to the bucket the DR stack creates, by the DR copy's name", () => {
    const drName = cacheBackupBucketName('prod', 'eu-central-1', ACCOUNT);
    expect(ofType(stackOf(DR_STACK), 'aws_s3_bucket').filter((b) => b.bucket === drName)).toHaveLength(1);
    const destinations = ofType(stackOf(PRIMARY), 'aws_s3_bucket_replication_configuration').map(
      (r) => ((r.rule as Resource[])[0]!.destination as Resource).bucket,
    );
    expect(destinations.filter((d) => String(d).endsWith(`:s3:::${drName}`))).toHaveLength(1);
    expect(exporter(DR_STACK)).toBeUndefined();
    const expiry = ofType(stackOf(DR_STACK), 'aws_s3_bucket_lifecycle_configuration')
      .flatMap((l) => l.rule as Resource[])
      .find((r) => r.id === 'expire-cache-backups')!;
    expect((expiry.expiration as Resource[])[0]).toMatchObject({ days: 7 });
  });

  test('GIVEN environments without dr WHEN synthesized THEN there is no backup bucket and no export', () => {
    for (const name of ['imaging-dev', 'imaging-uat']) {
      const buckets = ofType(stackOf(name), 'aws_s3_bucket').filter((b) => String(b.bucket ?? '').includes('cache-backups'));
      expect([name, buckets.length, exporter(name)]).toEqual([name, 0, undefined]);
    }
  });

  test('GIVEN a retention in the environment file WHEN synthesized THEN both copies keep the backups that long', () => {
    const context = systemContext(imagingSystem, envNamed('prod'), { cacheBackupRetentionDays: 14 }, 'dr');
    const out = JSON.parse(Testing.synth(new ImagingStack(Testing.app(), 'imaging-test', context))) as {
      resource: Record<string, Record<string, Resource>>;
    };
    const rules = Object.values(out.resource.aws_s3_bucket_lifecycle_configuration!).flatMap((l) => l.rule as Resource[]);
    expect((rules.find((r) => r.id === 'expire-cache-backups')!.expiration as Resource[])[0]).toMatchObject({ days: 14 });
  });

  test('GIVEN a retention of 0 days WHEN the settings are read THEN the error names the field and the allowed range', () => {
    const result = imagingSettings.safeParse({ cacheBackupRetentionDays: 0 });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['cacheBackupRetentionDays', 'Too small: expected number to be >=1'],
    ]);
  });
});
