import { Testing } from 'cdktf';
import { TUNNEL_CRYPTO } from '../../aws/connectivity/site-to-site-vpn.js';
import { evaluatePolicy } from '../../policy/engine.js';
import { isTaggableType } from '../../policy/taggable.js';
import { commerceSettings } from '../settings.js';
import type { SystemContext } from '../types.js';
import { errorOf } from '../../../test/error-of.js';
import {
  envNamed,
  ofType,
  one as only,
  synthesizeSystem,
  systemContext,
  typeCounts,
  type Resource,
  type SynthesizedStack,
} from '../../../test/modules/system-synth.js';
import { AZURE_DH_GROUP_NUMBERS } from './interconnect.js';
import { BLOB_BACKUP, CHANGE_CAPTURE, COMMERCE_SERVICES, commerceSystem, CommerceStack, LOG_FORWARDER, SERVICE_SPECS } from './index.js';

interface Synthesized extends SynthesizedStack {
  data?: Record<string, Record<string, Resource>>;
  provider: Record<string, Resource[]>;
  variable?: Record<string, Resource>;
}

const { stacks: commerce, synthesized, stackOf } = synthesizeSystem<Synthesized>(commerceSystem);
const policyOf = (s: Synthesized, functionName: string) => {
  const roleRef = ofType(s, 'aws_lambda_function').find((f) => f.function_name === functionName)!.role as string;
  const roleId = /aws_iam_role\.([^.]+)\.arn/.exec(roleRef)![1]!;
  const policy = ofType(s, 'aws_iam_role_policy').find((p) => p.role === `\${aws_iam_role.${roleId}.id}`)!;
  return JSON.parse(policy.policy as string) as { Statement: { Sid: string; Action: string[]; Resource: string | string[] }[] };
};
const statement = (s: Synthesized, functionName: string, sid: string): string[] => {
  const found = policyOf(s, functionName).Statement.find((st) => st.Sid === sid);
  return found === undefined ? [] : [found.Resource].flat();
};
/** Logical id of the table resource (or replica data source) called `<prefix>-<name>`. */
const tableId = (s: Synthesized, name: string) =>
  Object.entries({ ...s.resource.aws_dynamodb_table, ...s.data?.aws_dynamodb_table }).find(([, t]) =>
    String(t.name).endsWith(`-${name}`),
  )![0];

const newStack = (context: SystemContext<'commerce'>) => new CommerceStack(Testing.app(), 'commerce-test', context);

// Seed 004: every component of the design on both clouds and the resource types that realise it.
const SEED_COMPONENTS: [string, string[]][] = [
  ['AWS API Gateway (REST) with a stage', ['aws_api_gateway_rest_api', 'aws_api_gateway_stage', 'aws_api_gateway_method']],
  ['AWS Cognito user pool authorizing the API', ['aws_cognito_user_pool', 'aws_cognito_user_pool_client', 'aws_api_gateway_authorizer']],
  ['AWS Lambda product, inventory, order and user services', ['aws_lambda_function', 'aws_lambda_permission', 'aws_iam_role_policy']],
  ['AWS DynamoDB Products, Users and Inventory (KMS)', ['aws_dynamodb_table', 'aws_kms_key']],
  ['AWS S3 product-images and static-assets', ['aws_s3_bucket', 'aws_s3_bucket_public_access_block', 'aws_s3_bucket_policy']],
  ['DynamoDB streams → change capture → Azure SQL', ['aws_lambda_event_source_mapping', 'aws_sqs_queue']],
  ['WAF on the API', ['aws_wafv2_web_acl', 'aws_wafv2_web_acl_association']],
  ['AWS VPC for the functions', ['aws_vpc', 'aws_subnet', 'aws_nat_gateway', 'aws_flow_log']],
  ['AWS end of the AWS ↔ Azure VPN', ['aws_customer_gateway', 'aws_vpn_gateway', 'aws_vpn_connection', 'aws_vpn_connection_route']],
  ['CloudWatch alarms and dashboard', ['aws_cloudwatch_metric_alarm', 'aws_sns_topic', 'aws_cloudwatch_dashboard']],
  ['secret for the cross-cloud identity', ['aws_secretsmanager_secret']],
  [
    'Azure Functions payment-processor, notification, analytics-processor, backup-service',
    ['azurerm_service_plan', 'azurerm_linux_function_app'],
  ],
  [
    'Azure SQL Transactions and Analytics',
    ['azurerm_mssql_server', 'azurerm_mssql_database', 'azurerm_mssql_server_extended_auditing_policy'],
  ],
  ['Azure Service Bus between the services', ['azurerm_servicebus_namespace', 'azurerm_servicebus_queue', 'azurerm_role_assignment']],
  ['Azure Redis cache', ['azurerm_redis_cache']],
  [
    'Azure CDN with WAF (Front Door)',
    ['azurerm_cdn_frontdoor_profile', 'azurerm_cdn_frontdoor_route', 'azurerm_cdn_frontdoor_firewall_policy'],
  ],
  [
    'Azure Monitor and Log Analytics',
    ['azurerm_log_analytics_workspace', 'azurerm_application_insights', 'azurerm_monitor_diagnostic_setting'],
  ],
  [
    'Azure end of the VPN',
    ['azurerm_virtual_network_gateway', 'azurerm_local_network_gateway', 'azurerm_virtual_network_gateway_connection'],
  ],
  ['Azure VNet', ['azurerm_virtual_network', 'azurerm_subnet', 'azurerm_network_security_group']],
  ['Blob storage for cross-cloud backups', ['azurerm_storage_account', 'azurerm_storage_container']],
  ['API keys in a vault', ['azurerm_key_vault']],
];

describe.each(['dev', 'uat', 'prod'])('commerce in %s', (env) => {
  const stack = () => stackOf(`commerce-${env}`);

  test.each(SEED_COMPONENTS)('GIVEN the seed component %s WHEN the stack is synthesized THEN its resource types exist', (_c, types) => {
    for (const type of types) expect([type, ofType(stack(), type).length]).not.toEqual([type, 0]);
  });

  test('GIVEN the stack WHEN counting resources by type THEN the counts match the reviewed snapshot', () => {
    expect(typeCounts(stack())).toMatchSnapshot();
  });

  test('GIVEN the seed tables WHEN synthesized THEN Products, Users and Inventory have PITR, the system KMS key and change streams', () => {
    const tables = ofType(stack(), 'aws_dynamodb_table');
    expect(tables.map((t) => t.name).sort()).toEqual([`commerce-${env}-Inventory`, `commerce-${env}-Products`, `commerce-${env}-Users`]);
    const days = envNamed(env).systems.commerce!.tableRecoveryDays;
    for (const table of tables) {
      expect(table).toMatchObject({
        point_in_time_recovery: { enabled: true, recovery_period_in_days: days },
        server_side_encryption: { enabled: true, kms_key_arn: expect.stringMatching(/^\$\{aws_kms_key\./) },
        stream_enabled: true,
        stream_view_type: 'NEW_AND_OLD_IMAGES',
      });
    }
    expect(ofType(stack(), 'aws_lambda_event_source_mapping').map((m) => m.enabled)).toEqual([true, true, true]);
  });

  test('GIVEN the seed buckets WHEN synthesized THEN product-images and static-assets are SSE-KMS SecureBuckets', () => {
    const sse = Object.entries(stack().resource.aws_s3_bucket_server_side_encryption_configuration!);
    const seed = sse.filter(([id]) => id.startsWith('commerce-aws_data_')).map(([, r]) => r.rule);
    expect(seed).toEqual(
      [0, 1].map(() => [
        expect.objectContaining({ apply_server_side_encryption_by_default: expect.objectContaining({ sse_algorithm: 'aws:kms' }) }),
      ]),
    );
  });

  test('GIVEN the API WHEN synthesized THEN every method of the four services requires a Cognito user-pool token', () => {
    const methods = ofType(stack(), 'aws_api_gateway_method');
    expect(methods).toHaveLength(2 * COMMERCE_SERVICES.length);
    for (const method of methods) expect(method).toMatchObject({ authorization: 'COGNITO_USER_POOLS', authorizer_id: expect.any(String) });
    expect(only(stack(), 'aws_api_gateway_authorizer')).toMatchObject({ type: 'COGNITO_USER_POOLS' });
    expect(only(stack(), 'aws_wafv2_web_acl_association').resource_arn).toMatch(/aws_api_gateway_stage\./);
  });

  test('GIVEN the services WHEN synthesized THEN the functions are keyed by name and each may touch only its own tables', () => {
    const s = stack();
    expect(
      ofType(s, 'aws_lambda_function')
        .map((f) => f.function_name)
        .sort(),
    ).toEqual([...COMMERCE_SERVICES, CHANGE_CAPTURE, BLOB_BACKUP, LOG_FORWARDER].map((n) => `commerce-${env}-${n}`).sort());
    for (const service of COMMERCE_SERVICES) {
      const spec = SERVICE_SPECS[service];
      const name = `commerce-${env}-${service}`;
      const tableArns = (tables: readonly string[]) => tables.map((t) => `\${aws_dynamodb_table.${tableId(s, t)}.arn}`).sort();
      expect(statement(s, name, 'WriteTables').sort()).toEqual(tableArns(spec.writeTables));
      expect(
        statement(s, name, 'ReadTables')
          .filter((r) => !r.endsWith('/index/*'))
          .sort(),
      ).toEqual(tableArns(spec.readTables));
      expect(statement(s, name, 'ReadSecrets')).toHaveLength((spec.sendQueues === undefined ? 0 : 1) + (spec.sessions ? 1 : 0));
      expect(statement(s, name, 'WriteBucketObjects')).toHaveLength((spec.writeBuckets ?? []).length);
    }
    const streams = statement(s, `commerce-${env}-${CHANGE_CAPTURE}`, 'ReadTableStreams');
    expect(streams.sort()).toEqual(
      ['Inventory', 'Products', 'Users'].map((t) => `\${aws_dynamodb_table.${tableId(s, t)}.stream_arn}`).sort(),
    );
  });

  test('GIVEN the VPN WHEN synthesized THEN each end reads the other from the same state and keys come from sensitive variables', () => {
    const s = stack();
    expect(only(s, 'aws_customer_gateway').ip_address).toMatch(/^\$\{azurerm_public_ip\..+\.ip_address\}$/);
    expect(ofType(s, 'azurerm_local_network_gateway').map((g) => g.gateway_address)).toEqual([
      expect.stringMatching(/aws_vpn_connection\..+\.tunnel1_address/),
      expect.stringMatching(/aws_vpn_connection\..+\.tunnel2_address/),
    ]);
    const connection = only(s, 'aws_vpn_connection');
    expect(connection).toMatchObject({
      static_routes_only: true,
      tunnel1_preshared_key: '${var.commerce_vpn_psk_tunnel1}',
      tunnel2_preshared_key: '${var.commerce_vpn_psk_tunnel2}',
    });
    expect(ofType(s, 'azurerm_virtual_network_gateway_connection').map((c) => c.shared_key)).toEqual([
      '${var.commerce_vpn_psk_tunnel1}',
      '${var.commerce_vpn_psk_tunnel2}',
    ]);
    const [awsCidr, azureCidr] = [only(s, 'aws_vpc').cidr_block, only(s, 'azurerm_virtual_network').address_space];
    expect(only(s, 'aws_vpn_connection_route').destination_cidr_block).toEqual((azureCidr as string[])[0]);
    for (const local of ofType(s, 'azurerm_local_network_gateway')) expect(local.address_space).toEqual([awsCidr]);
  });

  test('GIVEN both VPN ends WHEN their proposals are compared THEN the Azure policy is one AWS offers in both phases', () => {
    for (const c of ofType(stack(), 'azurerm_virtual_network_gateway_connection')) {
      const policy = c.ipsec_policy as Record<string, string>;
      expect(TUNNEL_CRYPTO.phase1DhGroupNumbers).toContain(AZURE_DH_GROUP_NUMBERS[policy.dh_group!]);
      expect(TUNNEL_CRYPTO.phase2DhGroupNumbers).toContain(AZURE_DH_GROUP_NUMBERS[policy.pfs_group!]);
      expect(TUNNEL_CRYPTO.phase1EncryptionAlgorithms).toContain(policy.ike_encryption);
      expect(TUNNEL_CRYPTO.phase2EncryptionAlgorithms).toContain(policy.ipsec_encryption);
      expect(TUNNEL_CRYPTO.phase1IntegrityAlgorithms).toContain(policy.ike_integrity!.replace('SHA', 'SHA2-'));
      expect(TUNNEL_CRYPTO.phase2IntegrityAlgorithms).toContain(policy.ipsec_integrity!.replace('SHA', 'SHA2-'));
    }
  });

  test('GIVEN the stack WHEN synthesized THEN it configures both providers for the environment', () => {
    const e = envNamed(env);
    expect(stack().provider.aws).toEqual([{ region: e.regions.primary.aws, allowed_account_ids: [e.accounts.aws!.accountId] }]);
    expect(stack().provider.azurerm).toEqual([
      {
        features: [{}],
        subscription_id: e.accounts.azure!.subscriptionId,
        tenant_id: e.accounts.azure!.tenantId,
        storage_use_azuread: true,
      },
    ]);
  });

  test("GIVEN the app's DefaultTags aspect WHEN synthesized THEN every taggable resource of both clouds carries the environment's tags", () => {
    const expected = { ...envNamed(env).tags, system: 'commerce' };
    const checked = new Set<string>();
    for (const [type, resources] of Object.entries(stack().resource)) {
      if (!isTaggableType(type)) continue;
      for (const resource of Object.values(resources)) expect([type, resource.tags]).toEqual([type, expect.objectContaining(expected)]);
      checked.add(type.split('_')[0]!);
    }
    expect([...checked].sort()).toEqual(['aws', 'azurerm']);
    expect(Object.keys(stack().resource).filter((t) => t.startsWith('azurerm_') && isTaggableType(t)).length).toBeGreaterThan(20);
  });

  test("GIVEN the environment's policy level WHEN the gate runs THEN uat and prod fail nothing and dev warns only about public Azure endpoints and its one-node session cache", () => {
    const e = envNamed(env);
    const stacks = [...synthesized].filter(([name]) => name.startsWith(`commerce-${env}`));
    const report = evaluatePolicy(
      stacks.map(([name, json]) => ({ name, environment: env, json })),
      { [env]: e.policy },
    );
    const failed = report.findings.filter((f) => f.verdict === 'fail').map((f) => `${f.rule} ${f.resource.split('.')[0]}`);
    expect(failed).toEqual(
      env === 'dev'
        ? [
            'CKV2_AWS_50 aws_elasticache_replication_group',
            'CKV_AZURE_113 azurerm_mssql_server',
            'CKV_AZURE_89 azurerm_redis_cache',
            'CKV_AZURE_204 azurerm_servicebus_namespace',
          ]
        : [],
    );
    expect(report.findings.length).toBeGreaterThan(200);
  });
});

describe('commerce differences between environments', () => {
  const dev = () => stackOf('commerce-dev');
  const uat = () => stackOf('commerce-uat');
  const prod = () => stackOf('commerce-prod');
  const dr = () => stackOf('commerce-prod-eu-central-1');

  test('GIVEN dr only in prod WHEN the app is built THEN prod alone has the DR stack, in its DR region and location', () => {
    expect(commerce.map((s) => [s.name, s.region])).toEqual([
      ['commerce-dev', 'eu-west-1'],
      ['commerce-prod', 'eu-west-1'],
      ['commerce-prod-eu-central-1', 'eu-central-1'],
      ['commerce-uat', 'eu-west-1'],
    ]);
    expect(dr().provider.aws![0]).toMatchObject({ region: 'eu-central-1' });
    expect(only(dr(), 'azurerm_resource_group')).toMatchObject({ name: 'commerce-prod-dr-rg', location: 'northeurope' });
    expect(only(dr(), 'aws_vpc').cidr_block).toBe('10.31.64.0/21');
    expect(only(dr(), 'azurerm_virtual_network').address_space).toEqual(['10.31.72.0/21']);
  });

  test('GIVEN the AWS/Azure split of the system /20 WHEN synthesized THEN the VPC and VNet take its two halves', () => {
    expect(only(dev(), 'aws_vpc').cidr_block).toBe('10.10.64.0/21');
    expect(only(dev(), 'azurerm_virtual_network').address_space).toEqual(['10.10.72.0/21']);
  });

  test('GIVEN prod with a DR region WHEN synthesized THEN its tables are global tables replicated there under a key created in that region', () => {
    for (const table of ofType(prod(), 'aws_dynamodb_table')) {
      expect(table.replica).toEqual([
        {
          region_name: 'eu-central-1',
          kms_key_arn: expect.stringMatching(/aws_kms_key\..*replica-key.*\.arn/),
          point_in_time_recovery: true,
          propagate_tags: true,
        },
      ]);
    }
    const replicaKey = ofType(prod(), 'aws_kms_key').find((k) => k.region === 'eu-central-1')!;
    expect(replicaKey).toMatchObject({ enable_key_rotation: true });
    expect(ofType(dev(), 'aws_dynamodb_table').every((t) => t.replica === undefined)).toBe(true);
  });

  test('GIVEN the DR copy WHEN synthesized THEN it uses the replicas (no tables of its own) and its change capture is stopped', () => {
    expect(ofType(dr(), 'aws_dynamodb_table')).toEqual([]);
    expect(
      Object.values(dr().data!.aws_dynamodb_table!)
        .map((t) => t.name)
        .sort(),
    ).toEqual(['commerce-prod-Inventory', 'commerce-prod-Products', 'commerce-prod-Users']);
    expect(
      Object.values(dr().data!.aws_kms_alias!)
        .map((a) => a.name)
        .sort(),
    ).toEqual(['alias/commerce-prod', 'alias/commerce-prod-tables-replica']);
    expect(ofType(dr(), 'aws_lambda_event_source_mapping').map((m) => m.enabled)).toEqual([false, false, false]);
    expect(ofType(dr(), 'aws_lambda_function').map((f) => f.function_name)).toContain('commerce-prod-dr-order');
  });

  test('GIVEN the DR stack WHEN counting resources by type THEN the counts match the reviewed snapshot', () => {
    expect(typeCounts(dr())).toMatchSnapshot();
  });

  test('GIVEN drActive WHEN the DR copy is synthesized THEN its change capture runs', () => {
    const s = JSON.parse(Testing.synth(newStack(systemContext(commerceSystem, envNamed('prod'), { drActive: true }, 'dr')))) as Synthesized;
    expect(ofType(s, 'aws_lambda_event_source_mapping').map((m) => m.enabled)).toEqual([true, true, true]);
  });

  test('GIVEN dev (cheaper) and prod WHEN synthesized THEN dev has Basic SQL, Standard public Service Bus, 1 NAT, Essentials; prod the private, zone-redundant shape', () => {
    const sku = (s: Synthesized) => ({
      sql: ofType(s, 'azurerm_mssql_database').map((d) => [d.sku_name, d.zone_redundant]),
      bus: [only(s, 'azurerm_servicebus_namespace').sku, only(s, 'azurerm_servicebus_namespace').public_network_access_enabled],
      redis: only(s, 'azurerm_redis_cache').sku_name,
      nat: ofType(s, 'aws_nat_gateway').length,
      privateEndpoints: ofType(s, 'azurerm_private_endpoint').length,
      userPool: only(s, 'aws_cognito_user_pool').user_pool_tier,
    });
    expect(sku(dev())).toEqual({
      sql: [
        ['Basic', false],
        ['Basic', false],
      ],
      bus: ['Standard', true],
      redis: 'Basic',
      nat: 1,
      privateEndpoints: 0,
      userPool: 'ESSENTIALS',
    });
    expect(sku(uat())).toMatchObject({ bus: ['Premium', false], nat: 2, privateEndpoints: 12, userPool: 'PLUS' });
    expect(sku(prod())).toEqual({
      sql: [
        ['GP_Gen5_2', true],
        ['GP_Gen5_2', true],
      ],
      bus: ['Premium', false],
      redis: 'Premium',
      nat: 3,
      privateEndpoints: 12,
      userPool: 'PLUS',
    });
  });

  test('GIVEN private link WHEN synthesized THEN AWS resolves the Service Bus namespace to its private endpoint; without it, publicly', () => {
    const record = ofType(prod(), 'aws_route53_record').find((r) => String(r.name).endsWith('.privatelink.servicebus.windows.net'));
    expect(record).toMatchObject({
      type: 'A',
      records: [expect.stringMatching(/azurerm_private_endpoint\..*service-bus.*private_ip_address/)],
    });
    expect(ofType(prod(), 'aws_route53_zone').find((z) => z.name === 'privatelink.servicebus.windows.net')).toMatchObject({
      name: 'privatelink.servicebus.windows.net',
      vpc: [{ vpc_id: expect.any(String) }],
    });
    // dev's only zone is its public one (CloudFront's names), no private Service Bus zone.
    expect(ofType(dev(), 'aws_route53_zone').filter((z) => z.vpc !== undefined)).toEqual([]);
  });

  test("GIVEN retention, deletion protection and each environment's alarm receivers WHEN synthesized THEN both clouds follow them", () => {
    expect(new Set(ofType(dev(), 'aws_cloudwatch_log_group').map((g) => g.retention_in_days))).toEqual(new Set([7]));
    expect(new Set(ofType(prod(), 'aws_cloudwatch_log_group').map((g) => g.retention_in_days))).toEqual(new Set([365]));
    expect(only(prod(), 'azurerm_log_analytics_workspace').retention_in_days).toBe(365);
    expect(ofType(dev(), 'aws_dynamodb_table').map((t) => t.deletion_protection_enabled)).toEqual([false, false, false]);
    expect(ofType(prod(), 'aws_dynamodb_table').map((t) => t.deletion_protection_enabled)).toEqual([true, true, true]);
    const subscriptions = (s: SynthesizedStack) => ofType(s, 'aws_sns_topic_subscription').map((r) => [r.protocol, r.endpoint]);
    expect(subscriptions(prod()).sort()).toEqual([
      ['email', 'oncall@example.com'],
      ['https', 'https://events.example.com/v1/alarms'],
    ]);
    expect(subscriptions(dev())).toEqual([['email', 'platform-dev-alerts@example.com']]);
    expect(ofType(prod(), 'azurerm_monitor_metric_alert').length).toBeGreaterThan(0);
    expect(ofType(dev(), 'azurerm_monitor_metric_alert').length).toBeGreaterThan(0);
  });

  test('GIVEN the cross-cloud identity WHEN synthesized THEN the AWS principal may use exactly the queues the flows give AWS', () => {
    const grants = Object.keys(prod().resource.azurerm_role_assignment!)
      .filter((id) => id.includes('grant-aws-'))
      .map((id) => /grant-(aws-[a-z-]+)_/.exec(id)![1])
      .sort();
    expect(grants).toEqual([
      'aws-receives-payment-results',
      'aws-sends-analytics-events',
      'aws-sends-backup-jobs',
      'aws-sends-notifications',
      'aws-sends-payment-requests',
    ]);
    const principal = envNamed('prod').systems.commerce!.awsServicePrincipal.objectId;
    for (const id of Object.keys(prod().resource.azurerm_role_assignment!).filter((i) => i.includes('grant-aws-'))) {
      expect(prod().resource.azurerm_role_assignment![id]!.principal_id).toBe(principal);
    }
    const app = ofType(prod(), 'azurerm_linux_function_app')[0]!.app_settings as Record<string, string>;
    expect(app).toMatchObject({
      JWT_ISSUER: expect.stringMatching(/^https:\/\/\$\{aws_cognito_user_pool\./),
      COMMERCE_API_URL: expect.stringMatching(/invoke_url/),
    });
  });
});

describe('commerce bad input', () => {
  const dev = envNamed('dev');

  test('GIVEN multiAz with a Basic SQL SKU WHEN the stack is built THEN the error names the knobs at fault', () => {
    expect(errorOf(() => newStack(systemContext(commerceSystem, dev, { multiAz: true })))).toContain(
      'settings.multiAz: true needs a zone-redundant settings.sqlSku (P1…, GP_…, BC_…, HS_…; got "Basic")',
    );
  });

  test.each([
    [{ serviceBusSku: 'Free' }, 'serviceBusSku'],
    [{ sqlAdminGroup: { objectId: 'admins' } }, 'sqlAdminGroup.objectId'],
    [{ awsServicePrincipal: { clientId: 'aws' } }, 'awsServicePrincipal.clientId'],
    [{ webDomain: 'https://shop.example.com' }, 'webDomain'],
    [{ tableRecoveryDays: 36 }, 'tableRecoveryDays'],
    [{ functionReservedConcurrency: -2 }, 'functionReservedConcurrency'],
    [{ userPoolPlan: 'LITE' }, 'userPoolPlan'],
    [{ vpnKey: 'secret' }, ''],
  ])('GIVEN the bad knob %j WHEN the settings are parsed THEN they are rejected at %s', (bad, path) => {
    const result = commerceSettings.safeParse(bad);
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.path.join('.'))).toContain(path);
  });
});
