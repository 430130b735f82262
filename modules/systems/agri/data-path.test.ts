import { readFileSync } from 'node:fs';
import { Testing, TerraformStack } from 'cdktf';
import { formatProblem, parseEnvironmentFile } from '../../../environments/config.js';
import { named, ofType, synthesizeSystem, type Resource, type SynthesizedStack } from '../../../test/modules/system-synth.js';
import { PostgresDatabase } from '../../aws/data/postgres-database.js';
import { agriSystem } from './index.js';
import { FarmDataSync, TASK_SETTINGS, type FarmDataSyncProps } from './data-sync.js';
import { PROMETHEUS_QUERY_ACTIONS } from './observability.js';

const { stackOf } = synthesizeSystem(agriSystem);
const prod = () => stackOf('agri-prod');
interface Statement {
  readonly Action: string[];
  readonly Resource: string[];
}
/** A policy's statements with Action and Resource always as lists (IAM allows a lone string). */
const policyOf = (r: Resource): { Statement: Statement[] } => {
  const list = (v: string | string[]) => (Array.isArray(v) ? v : [v]);
  const doc = JSON.parse(String(r.policy)) as { Statement: { Action: string | string[]; Resource: string | string[] }[] };
  return { Statement: doc.Statement.map((s) => ({ ...s, Action: list(s.Action), Resource: list(s.Resource) })) };
};
const rolePolicies = (s: SynthesizedStack, rolePart: string) =>
  ofType(s, 'aws_iam_role_policy').filter((p) => String(p.role).includes(rolePart));
const single = (s: SynthesizedStack, type: string): Resource => {
  const all = ofType(s, type);
  expect(all).toHaveLength(1);
  return all[0]!;
};

describe('agri: the farm → cloud data path (DMS)', () => {
  test('GIVEN prod (hybrid over the VPN, dataSync on) WHEN synthesized THEN a private, encrypted, Multi-AZ replication instance runs in the private subnets', () => {
    const instance = single(prod(), 'aws_dms_replication_instance');
    expect(instance).toMatchObject({
      replication_instance_id: 'agri-prod-farm-sync',
      replication_instance_class: 'dms.t3.medium',
      publicly_accessible: false,
      multi_az: true,
      kms_key_arn: expect.stringContaining('aws_kms_key.key_'),
    });
    const subnets = single(prod(), 'aws_dms_replication_subnet_group').subnet_ids as string[];
    expect(subnets.length).toBeGreaterThanOrEqual(2);
    expect(subnets.every((id) => id.includes('private'))).toBe(true);
  });

  test('GIVEN prod WHEN synthesized THEN the source is the farm database named in the file and the target the RDS, both signing in from Secrets Manager over TLS', () => {
    const endpoints = Object.fromEntries(ofType(prod(), 'aws_dms_endpoint').map((e) => [e.endpoint_type, e]));
    expect(endpoints.source).toMatchObject({ engine_name: 'postgres', database_name: 'corn_db', ssl_mode: 'require' });
    expect(endpoints.target).toMatchObject({ engine_name: 'postgres', database_name: 'corn', ssl_mode: 'require' });
    for (const e of [endpoints.source!, endpoints.target!]) {
      expect(e.secrets_manager_arn).toContain('aws_secretsmanager_secret.farm-sync_');
      expect(e.secrets_manager_access_role_arn).toContain('farm-sync_secrets-role');
      // With a secret, DMS takes host, port and user from it: none of them (nor a password) is in the configuration.
      expect([e.server_name, e.port, e.username, e.password]).toEqual([undefined, undefined, undefined, undefined]);
    }
    const secrets = ofType(prod(), 'aws_secretsmanager_secret').map((s) => s.name);
    expect(secrets).toEqual(expect.arrayContaining(['agri-prod/farm-sync/source', 'agri-prod/farm-sync/target']));
    expect(ofType(prod(), 'aws_secretsmanager_secret_version')).toHaveLength(0);
  });

  test('GIVEN prod WHEN synthesized THEN the task replicates the public schema with full load then CDC, keeps the tables and retries a farm out of reach forever', () => {
    const task = single(prod(), 'aws_dms_replication_task');
    expect(task.migration_type).toBe('full-load-and-cdc');
    expect(task.start_replication_task).toBe(false);
    expect(JSON.parse(String(task.table_mappings)).rules).toEqual([
      expect.objectContaining({ 'rule-action': 'include', 'object-locator': { 'schema-name': 'public', 'table-name': '%' } }),
    ]);
    const settings = JSON.parse(String(task.replication_task_settings)) as typeof TASK_SETTINGS;
    expect(settings.FullLoadSettings.TargetTablePrepMode).toBe('DO_NOTHING');
    expect(settings.ErrorBehavior.RecoverableErrorCount).toBe(-1);
    expect(named(prod(), 'aws_cloudwatch_log_group', 'farm-sync_task-logs').map((g) => [g.name, g.retention_in_days])).toEqual([
      ['dms-tasks-agri-prod-farm-sync', 365],
    ]);
  });

  test('GIVEN prod WHEN synthesized THEN DMS reaches only the farm database host and port, and the RDS admits it besides the back end', () => {
    const egress = named(prod(), 'aws_vpc_security_group_egress_rule', 'farm-sync_security-group_');
    expect(egress.find((r) => r.cidr_ipv4 === '192.168.10.5/32')).toMatchObject({ from_port: 5432, to_port: 5432 });
    const dbIngress = named(prod(), 'aws_vpc_security_group_ingress_rule', 'database_security-group_from-').map((r) =>
      String(r.referenced_security_group_id).replace(/^.*security_group\.|_security-group.*$/g, ''),
    );
    expect(dbIngress.sort()).toEqual(['farm-sync', 'tiers_backend']);
  });

  test('GIVEN prod WHEN synthesized THEN the secrets role trusts the regional DMS principal and reads exactly the two endpoint secrets', () => {
    const role = named(prod(), 'aws_iam_role', 'farm-sync_secrets-role')[0]!;
    expect(JSON.stringify(JSON.parse(String(role.assume_role_policy)))).toContain('"Service":"dms.eu-west-1.amazonaws.com"');
    const read = policyOf(rolePolicies(prod(), 'farm-sync_secrets-role')[0]!).Statement.find((s) =>
      s.Action.includes('secretsmanager:GetSecretValue'),
    )!;
    expect(read.Resource).toHaveLength(2);
    expect(ofType(prod(), 'aws_iam_role').map((r) => r.name)).toEqual(expect.arrayContaining(['dms-vpc-role', 'dms-cloudwatch-logs-role']));
  });

  test.each(['agri-dev', 'agri-uat'])('GIVEN %s (no farm) WHEN synthesized THEN no DMS resource exists', (name) => {
    expect(Object.keys(stackOf(name).resource).filter((t) => t.startsWith('aws_dms_'))).toEqual([]);
  });
});

describe('agri: observability (Managed Prometheus and Grafana)', () => {
  test.each(['agri-uat', 'agri-prod'])(
    'GIVEN %s WHEN synthesized THEN a KMS-encrypted Prometheus workspace logs to an encrypted log group',
    (name) => {
      const workspace = single(stackOf(name), 'aws_prometheus_workspace');
      expect(workspace.kms_key_arn).toContain('aws_kms_key.key_');
      expect((workspace.logging_configuration as { log_group_arn: string }).log_group_arn).toMatch(/observability_logs_.*\.arn\}:\*$/);
      const logs = named(stackOf(name), 'aws_cloudwatch_log_group', 'observability_logs_')[0]!;
      expect(logs.kms_key_id).toContain('aws_kms_key.key_');
    },
  );

  test('GIVEN prod WHEN synthesized THEN each tier may remote-write to the workspace and is told where', () => {
    for (const tier of ['frontend', 'backend', 'ml']) {
      const statements = rolePolicies(prod(), `tiers_${tier}_task-role`).flatMap((p) => policyOf(p).Statement);
      expect(statements.filter((s) => s.Action.includes('aps:RemoteWrite'))).toEqual([
        expect.objectContaining({ Action: ['aps:RemoteWrite'], Resource: [expect.stringContaining('aws_prometheus_workspace')] }),
      ]);
      const task = named(prod(), 'aws_ecs_task_definition', `tiers_${tier}_`)[0]!;
      expect(String(task.container_definitions)).toMatch(/PROMETHEUS_REMOTE_WRITE_URL.*prometheus_endpoint\}api\/v1\/remote_write/);
    }
  });

  test('GIVEN prod WHEN synthesized THEN Grafana signs in through IAM Identity Center and its role only queries the workspace', () => {
    const grafana = single(prod(), 'aws_grafana_workspace');
    expect(grafana).toMatchObject({
      account_access_type: 'CURRENT_ACCOUNT',
      authentication_providers: ['AWS_SSO'],
      permission_type: 'CUSTOMER_MANAGED',
      data_sources: ['PROMETHEUS', 'CLOUDWATCH'],
    });
    const statements = rolePolicies(prod(), 'observability_grafana-role').flatMap((p) => policyOf(p).Statement);
    expect(statements).toEqual([
      expect.objectContaining({ Action: PROMETHEUS_QUERY_ACTIONS, Resource: [expect.stringContaining('aws_prometheus_workspace')] }),
    ]);
  });

  test('GIVEN uat (prometheus only) and dev (off) WHEN synthesized THEN uat has no Grafana and dev neither, nor a remote-write URL', () => {
    expect(ofType(stackOf('agri-uat'), 'aws_grafana_workspace')).toHaveLength(0);
    expect(ofType(stackOf('agri-dev'), 'aws_prometheus_workspace')).toHaveLength(0);
    expect(JSON.stringify(ofType(stackOf('agri-dev'), 'aws_ecs_task_definition'))).not.toContain('PROMETHEUS_REMOTE_WRITE_URL');
  });
});

describe('agri data path: bad input', () => {
  const shipped = (env: string) => readFileSync(new URL(`../../../environments/${env}.yaml`, import.meta.url), 'utf8');
  /** The agri block of `env`.yaml with `line` (indented 4) added at its end. */
  const problemsWith = (env: string, line: string) => {
    const text = shipped(env).replace(/^( {2}agri:\n(?: {4}.*\n)+)/m, `$1${line}\n`);
    expect(text).toContain(line);
    return parseEnvironmentFile({ file: `${env}.yaml`, text }).problems.map(formatProblem);
  };
  const prodWithSync = (sync: string) =>
    parseEnvironmentFile({ file: 'prod.yaml', text: shipped('prod').replace(/^ {4}dataSync: .*$/m, `    dataSync: ${sync}`) }).problems.map(
      formatProblem,
    );

  test('GIVEN the shipped files WHEN parsed THEN they have no problems (the edits below start from valid files)', () => {
    for (const env of ['dev', 'uat', 'prod']) expect(problemsWith(env, '    # nothing')).toEqual([]);
  });

  test.each<[string, string, RegExp]>([
    [
      'prod',
      '{ enabled: true, host: 10.9.9.9 }',
      /^prod\.yaml:\d+: systems\.agri\.dataSync\.host: must be inside farm\.onPremCidr 192\.168\.0\.0\/16, the network the VPN routes \(got "10\.9\.9\.9"\)$/,
    ],
    ['prod', '{ enabled: true, host: farm-db.local }', /^prod\.yaml:\d+: systems\.agri\.dataSync\.host: .+/],
    ['prod', '{ enabled: true, port: 70000 }', /^prod\.yaml:\d+: systems\.agri\.dataSync\.port: .*65535/],
    [
      'prod',
      '{ enabled: true, instanceClass: db.t3.medium }',
      /^prod\.yaml:\d+: systems\.agri\.dataSync\.instanceClass: must be a DMS instance class such as dms\.t3\.medium/,
    ],
    [
      'prod',
      '{ enabled: true, databaseName: Corn-DB }',
      /^prod\.yaml:\d+: systems\.agri\.dataSync\.databaseName: must be a lowercase PostgreSQL name such as corn_db/,
    ],
    ['prod', '{ enabled: true, hots: 192.168.1.1 }', /^prod\.yaml:\d+: systems\.agri\.dataSync.*hots/],
  ])('GIVEN %s.yaml with dataSync %s WHEN parsed THEN one line names the file, the field and what is allowed', (_env, sync, expected) => {
    const problems = prodWithSync(sync);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(expected);
  });

  test('GIVEN uat (no hybrid) with dataSync enabled WHEN parsed THEN it is refused: DMS needs the VPN', () => {
    expect(problemsWith('uat', '    dataSync: { enabled: true }')).toEqual([
      expect.stringMatching(
        /^uat\.yaml:\d+: systems\.agri\.dataSync\.enabled: needs hybrid: true and farm\.mode: vpn: .*\(hybrid is false, farm\.mode vpn\) \(got true\)$/,
      ),
    ]);
  });

  test('GIVEN grafana without prometheus WHEN parsed THEN it is refused at observability.grafana', () => {
    expect(problemsWith('dev', '    observability: { grafana: true }')).toEqual([
      expect.stringMatching(/^dev\.yaml:\d+: systems\.agri\.observability\.grafana: needs observability\.prometheus: true/),
    ]);
  });

  test('GIVEN a FarmDataSync with a host name, one subnet and 2 GiB WHEN built THEN one error lists every problem and nothing is added', () => {
    const stack = new TerraformStack(Testing.app(), 'bad');
    const database = new PostgresDatabase(stack, 'db', {
      name: 'bad',
      vpcId: 'vpc-1',
      subnetIds: ['subnet-a', 'subnet-b'],
      allowedSecurityGroups: {},
      databaseName: 'corn',
    });
    const props: FarmDataSyncProps = {
      prefix: 'bad',
      region: 'eu-west-1',
      vpcId: 'vpc-1',
      subnetIds: ['subnet-a'],
      kmsKeyArn: 'arn:aws:kms:eu-west-1:123456789012:key/abc',
      farm: { host: 'farm-db.local', port: 5432, databaseName: 'corn_db', schema: 'public' },
      target: { database, databaseName: 'corn' },
      instanceClass: 'dms.t3.medium',
      allocatedStorage: 2,
      multiAz: false,
      logRetentionDays: 7,
    };
    const before = stack.node.findAll().length;
    expect(() => new FarmDataSync(stack, 'sync', props)).toThrow(
      /farm\.host.*an IPv4 address.*allocatedStorage.*5.*6144.*subnetIds must name subnets in at least two AZs \(got 1\)/s,
    );
    expect(stack.node.findAll().length - before).toBeLessThanOrEqual(1);
  });
});
