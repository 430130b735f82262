import { Testing } from 'cdktf';
import { errorOf } from '../../../test/error-of.js';
import { envNamed, ofType, one, synthesizeSystem, systemContext, type Resource } from '../../../test/modules/system-synth.js';
import { AWS_LOG_COLUMNS, AWS_LOGS_STREAM, AWS_LOGS_TABLE, CommerceOps } from './aws-ops.js';
import { commerceSystem, CommerceStack } from './index.js';

const { stackOf } = synthesizeSystem(commerceSystem);
const prod = () => stackOf('commerce-prod');
const fn = (name: string) => ofType(prod(), 'aws_lambda_function').find((f) => f.function_name === name)!;
const idOf = (type: string, r: Resource) => Object.entries(prod().resource[type]!).find(([, v]) => v === r)![0];
const policyOfRole = (roleId: string) =>
  JSON.parse(ofType(prod(), 'aws_iam_role_policy').find((p) => p.role === `\${aws_iam_role.${roleId}.id}`)!.policy as string) as {
    Statement: { Sid: string; Action: string[]; Resource: string | string[] }[];
  };

interface ScheduleJson {
  readonly target: { arn: string; role_arn: string; retry_policy: unknown; dead_letter_config: { arn: string } };
}
interface RuleJson {
  readonly data_collection_endpoint_id: string;
  readonly destinations: { log_analytics: { workspace_resource_id: string }[] };
}

describe('CommerceOps: the daily S3 → Azure Blob backup', () => {
  const schedule = () => one(prod(), 'aws_scheduler_schedule') as Resource & ScheduleJson;
  const backup = () => fn('commerce-prod-blob-backup');

  test('GIVEN prod WHEN synthesized THEN a KMS-encrypted schedule runs the backup at 02:00 UTC daily, retrying, failures to the queue', () => {
    const s = schedule();
    expect(s).toMatchObject({
      name: 'commerce-prod-blob-backup',
      schedule_expression: 'cron(0 2 * * ? *)',
      schedule_expression_timezone: 'UTC',
      flexible_time_window: { mode: 'OFF' },
      kms_key_arn: '${aws_kms_key.commerce-aws_key_CBB3E571.arn}',
    });
    expect(s.target.arn).toBe(`\${aws_lambda_function.${idOf('aws_lambda_function', backup())}.arn}`);
    expect(s.target.retry_policy).toEqual({ maximum_retry_attempts: 3, maximum_event_age_in_seconds: 3600 });
    expect(s.target.dead_letter_config.arn).toBe((backup().dead_letter_config as { target_arn: string }).target_arn);
  });

  test('GIVEN the schedule role WHEN read THEN only the scheduler assumes it and it may invoke only the backup (plus the failure queue and its key)', () => {
    const roleId = /aws_iam_role\.([^.]+)\.arn/.exec(schedule().target.role_arn as string)![1]!;
    const role = prod().resource.aws_iam_role![roleId]!;
    expect(JSON.parse(role.assume_role_policy as string).Statement).toEqual([
      expect.objectContaining({ Action: 'sts:AssumeRole', Principal: { Service: 'scheduler.amazonaws.com' } }),
    ]);
    const statements = policyOfRole(roleId).Statement;
    const invoke = statements.filter((st) => [st.Action].flat().includes('lambda:InvokeFunction'));
    const backupArn = `\${aws_lambda_function.${idOf('aws_lambda_function', backup())}.arn}`;
    expect(invoke.flatMap((st) => [st.Resource].flat())).toEqual([backupArn, `${backupArn}:*`]);
    const actions = statements.flatMap((st) => [st.Action].flat());
    expect(actions.filter((a) => !a.startsWith('kms:')).sort()).toEqual([
      'lambda:InvokeFunction',
      'sqs:GetQueueAttributes',
      'sqs:GetQueueUrl',
      'sqs:SendMessage',
    ]);
  });

  test('GIVEN the backup function WHEN read THEN it is bundled in the stack, reads both buckets, the Azure secret, and targets s3-daily', () => {
    const f = backup();
    expect(f.filename).toMatch(/^assets\/commerce-ops_blob-backup_code_[0-9A-F]+\/[0-9a-f]{64}\/commerce-prod-blob-backup\.zip$/);
    expect(f.source_code_hash).toEqual(expect.any(String));
    expect(f.handler).toBe('blob-backup.handler');
    expect(f.reserved_concurrent_executions).toBe(1);
    const env = (f.environment as { variables: Record<string, string> }).variables;
    expect(env.BACKUP_CONTAINER_URL).toMatch(
      /^\$\{azurerm_storage_account\.commerce-azure_backup-storage_account_\w+\.primary_blob_endpoint\}s3-daily$/,
    );
    expect(Object.keys(JSON.parse(env.BUCKETS!))).toEqual(['product-images', 'static-assets']);
    const roleId = /aws_iam_role\.([^.]+)\.arn/.exec(f.role as string)![1]!;
    const sids = Object.fromEntries(policyOfRole(roleId).Statement.map((st) => [st.Sid, [st.Resource].flat()]));
    expect(sids.ListReadBuckets).toHaveLength(2);
    expect(sids.ReadSecrets).toEqual(['${aws_secretsmanager_secret.commerce-aws_azure-client-secret_6E16FECB.arn}']);
  });

  test('GIVEN the AWS principal WHEN the Azure side is read THEN it may write blobs of the s3-daily container only', () => {
    const grants = ofType(prod(), 'azurerm_role_assignment').filter((r) => r.role_definition_name === 'Storage Blob Data Contributor');
    const aws = grants.filter((r) => String(r.scope).includes('container-s3-daily'));
    expect(aws).toEqual([
      expect.objectContaining({
        principal_id: envNamed('prod').systems.commerce!.awsServicePrincipal!.objectId,
        principal_type: 'ServicePrincipal',
      }),
    ]);
    expect(aws[0]!.scope).toMatch(
      /^\$\{azurerm_storage_container\.commerce-azure_backup-storage_container-s3-daily_\w+\.resource_manager_id\}$/,
    );
  });

  test('GIVEN private endpoints (prod) WHEN synthesized THEN the VPC resolves the backup account to its private endpoint; dev has no such zone', () => {
    const zone = ofType(prod(), 'aws_route53_zone').find((z) => z.name === 'privatelink.blob.core.windows.net');
    expect(zone).toBeDefined();
    const record = ofType(prod(), 'aws_route53_record').find((r) => String(r.name).endsWith('.privatelink.blob.core.windows.net'))!;
    expect(record.records).toEqual([
      expect.stringMatching(/^\$\{azurerm_private_endpoint\.commerce-azure_backup-storage_.+private_ip_address\}$/),
    ]);
    expect(ofType(stackOf('commerce-dev'), 'aws_route53_zone').map((z) => z.name)).not.toContain('privatelink.blob.core.windows.net');
  });

  test('GIVEN public endpoints (dev) WHEN synthesized THEN the backup account admits the VPC NAT addresses besides the functions subnet', () => {
    const dev = stackOf('commerce-dev');
    const account = ofType(dev, 'azurerm_storage_account').find((a) => String(a.name).includes('bk'))!;
    const natIps = ofType(dev, 'aws_eip').length;
    expect(account.network_rules).toMatchObject({
      default_action: 'Deny',
      ip_rules: Array.from({ length: natIps }, () => expect.stringMatching(/^\$\{aws_eip\..+\.public_ip\}$/)),
    });
    expect(natIps).toBeGreaterThan(0);
    const prodAccount = ofType(prod(), 'azurerm_storage_account').find((a) => String(a.name).includes('bk'))!;
    expect(prodAccount.network_rules).not.toHaveProperty('ip_rules');
  });

  test('GIVEN both functions WHEN alarms are read THEN each has an errors alarm to the system topic', () => {
    const alarms = ofType(prod(), 'aws_cloudwatch_metric_alarm').filter((a) => a.metric_name === 'Errors');
    const watched = alarms.map((a) => (a.dimensions as { FunctionName: string }).FunctionName);
    for (const name of ['blob-backup', 'log-forwarder']) {
      expect(watched).toContain(`\${aws_lambda_function.${idOf('aws_lambda_function', fn(`commerce-prod-${name}`))}.function_name}`);
    }
  });

  test('GIVEN a schedule that is not an EventBridge expression WHEN built THEN it is refused, naming the prop and what is allowed', () => {
    const stack = new CommerceStack(Testing.app(), 'commerce-test', systemContext(commerceSystem, envNamed('dev')));
    const props = {
      prefix: 'x',
      region: 'eu-west-1',
      settings: systemContext(commerceSystem, envNamed('dev')).settings,
      aws: stack.aws,
      azure: stack.azure,
      principal: { tenantId: 't', clientId: 'c', objectId: 'o' },
    };
    expect(errorOf(() => new CommerceOps(stack, 'bad', { ...props, backupSchedule: 'daily' }))).toBe(
      'CommerceOps commerce-test/bad: backupSchedule must be cron(...) or rate(N unit) (got "daily")',
    );
  });
});

describe('CommerceOps: AWS logs into Log Analytics', () => {
  const forwarder = () => fn('commerce-prod-log-forwarder');

  test('GIVEN prod WHEN synthesized THEN every commerce log group but the forwarder’s own has a subscription to the forwarder, with its invoke permission', () => {
    const filters = ofType(prod(), 'aws_cloudwatch_log_subscription_filter');
    const groups = filters.map((f) => String(f.log_group_name).replace(/^\$\{aws_cloudwatch_log_group\.(.+)_log-group_\w+\.name\}$/, '$1'));
    expect(groups.sort()).toEqual([
      'commerce-aws_api_access-logs',
      'commerce-aws_change-capture_logs',
      'commerce-aws_inventory_logs',
      'commerce-aws_order_logs',
      'commerce-aws_product_logs',
      'commerce-aws_user_logs',
      'commerce-ops_blob-backup_logs',
    ]);
    const forwarderArn = `\${aws_lambda_function.${idOf('aws_lambda_function', forwarder())}.arn}`;
    for (const f of filters) {
      expect(f).toMatchObject({ destination_arn: forwarderArn, filter_pattern: '' });
      const [permission] = f.depends_on as string[];
      const allowed = prod().resource.aws_lambda_permission![permission!.replace('aws_lambda_permission.', '')]!;
      expect(allowed).toMatchObject({
        principal: 'logs.eu-west-1.amazonaws.com',
        source_arn: `${String(f.log_group_name).replace('.name}', '.arn}')}:*`,
      });
    }
  });

  test('GIVEN the Azure side WHEN synthesized THEN a custom table, an endpoint and a rule carry the rows, and the AWS principal may publish to the rule only', () => {
    const table = one(prod(), 'azurerm_log_analytics_workspace_table_custom_log');
    expect(table).toMatchObject({ name: AWS_LOGS_TABLE, retention_in_days: 365, column: AWS_LOG_COLUMNS });
    const endpoint = one(prod(), 'azurerm_monitor_data_collection_endpoint');
    const rule = one(prod(), 'azurerm_monitor_data_collection_rule') as Resource & RuleJson;
    expect(rule.data_collection_endpoint_id).toBe(
      `\${azurerm_monitor_data_collection_endpoint.${idOf('azurerm_monitor_data_collection_endpoint', endpoint)}.id}`,
    );
    expect(rule.stream_declaration).toEqual([{ stream_name: AWS_LOGS_STREAM, column: AWS_LOG_COLUMNS }]);
    expect(rule.data_flow).toEqual([
      { streams: [AWS_LOGS_STREAM], destinations: ['workspace'], output_stream: AWS_LOGS_STREAM, transform_kql: 'source' },
    ]);
    expect(rule.destinations.log_analytics[0].workspace_resource_id).toMatch(/^\$\{azurerm_log_analytics_workspace\./);
    expect(rule.depends_on).toEqual([
      `azurerm_log_analytics_workspace_table_custom_log.${idOf('azurerm_log_analytics_workspace_table_custom_log', table)}`,
    ]);
    const awsGrants = ofType(prod(), 'azurerm_role_assignment').filter(
      (r) => r.principal_id === envNamed('prod').systems.commerce!.awsServicePrincipal!.objectId && !String(r.scope).includes('servicebus'),
    );
    expect(awsGrants.filter((r) => r.role_definition_name === 'Monitoring Metrics Publisher')).toEqual([
      expect.objectContaining({
        scope: `\${azurerm_monitor_data_collection_rule.${idOf('azurerm_monitor_data_collection_rule', rule)}.id}`,
      }),
    ]);
    const env = (forwarder().environment as { variables: Record<string, string> }).variables;
    expect(env).toMatchObject({
      LOGS_STREAM: AWS_LOGS_STREAM,
      DATA_COLLECTION_RULE_ID: `\${azurerm_monitor_data_collection_rule.${idOf('azurerm_monitor_data_collection_rule', rule)}.immutable_id}`,
      LOGS_INGESTION_ENDPOINT: `\${azurerm_monitor_data_collection_endpoint.${idOf('azurerm_monitor_data_collection_endpoint', endpoint)}.logs_ingestion_endpoint}`,
    });
    expect(forwarder().filename).toMatch(
      /^assets\/commerce-ops_log-forwarder_code_[0-9A-F]+\/[0-9a-f]{64}\/commerce-prod-log-forwarder\.zip$/,
    );
  });
});
