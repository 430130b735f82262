// For every rule: a resource that passes and one that fails, as synthesized Terraform JSON.
import { evaluatePolicy, type SynthesizedStack } from './engine.js';
import { policyRules } from './rules/index.js';
import {
  type Json,
  azRedis,
  bucket,
  bus,
  cf,
  db,
  func,
  lb,
  one,
  redis,
  ref,
  sg,
  sql,
  storage,
  tags,
  task,
  tf,
  vpc,
} from '../../test/modules/policy-resources.js';

const cases: Record<string, { pass: Json; fail: Json; because: RegExp }> = {
  CKV_AWS_19: { pass: bucket(), fail: bucket('aws_s3_bucket_server_side_encryption_configuration'), because: /no server-side encryption/ },
  CKV_AWS_21: {
    pass: bucket(),
    fail: bucket(undefined, { aws_s3_bucket_versioning: { versioning_configuration: { status: 'Suspended' } } }),
    because: /versioning is not enabled/,
  },
  CKV2_AWS_6: {
    pass: bucket(),
    fail: bucket(undefined, { aws_s3_bucket_public_access_block: { restrict_public_buckets: false } }),
    because: /leaves restrict_public_buckets off/,
  },
  GITOPS_S3_TLS_ONLY: { pass: bucket(), fail: bucket('aws_s3_bucket_policy'), because: /aws:SecureTransport/ },
  CKV_AWS_16: { pass: db(), fail: db({ storage_encrypted: false }), because: /storage_encrypted is false/ },
  CKV_AWS_17: { pass: db(), fail: db({ publicly_accessible: true }), because: /publicly_accessible is true/ },
  CKV_AWS_157: { pass: db(), fail: db({ multi_az: false }), because: /multi_az is false/ },
  CKV_AWS_293: { pass: db(), fail: db({ deletion_protection: false }), because: /deletion_protection is false/ },
  CKV_AWS_133: { pass: db(), fail: db({ backup_retention_period: 3 }), because: /backup_retention_period is 3/ },
  CKV_AWS_129: { pass: db(), fail: db({ enabled_cloudwatch_logs_exports: [] }), because: /enabled_cloudwatch_logs_exports is \[\]/ },
  CKV_AWS_161: {
    pass: db(),
    fail: db({ iam_database_authentication_enabled: undefined }),
    because: /iam_database_authentication_enabled is unset/,
  },
  CKV_AWS_29: { pass: redis(), fail: redis({ at_rest_encryption_enabled: false }), because: /at_rest_encryption_enabled is false/ },
  CKV_AWS_30: { pass: redis(), fail: redis({ transit_encryption_enabled: false }), because: /transit_encryption_enabled is false/ },
  CKV_AWS_31: { pass: redis(), fail: redis({ auth_token: undefined }), because: /no auth_token/ },
  CKV2_AWS_50: { pass: redis(), fail: redis({ multi_az_enabled: false }), because: /multi_az_enabled is false/ },
  CKV_AWS_27: {
    pass: one('aws_sqs_queue', { sqs_managed_sse_enabled: true, redrive_policy: '{}' }),
    fail: one('aws_sqs_queue', { redrive_policy: '{}' }),
    because: /neither sqs_managed_sse_enabled/,
  },
  GITOPS_SQS_DLQ: {
    pass: tf({
      aws_sqs_queue: {
        work: {
          sqs_managed_sse_enabled: true,
          redrive_policy: JSON.stringify({ deadLetterTargetArn: ref('aws_sqs_queue.dlq', 'arn'), maxReceiveCount: 5 }),
        },
        dlq: { sqs_managed_sse_enabled: true },
      },
    }),
    fail: one('aws_sqs_queue', { sqs_managed_sse_enabled: true }),
    because: /no redrive policy/,
  },
  CKV_AWS_28: {
    pass: one('aws_dynamodb_table', { point_in_time_recovery: { enabled: true } }),
    fail: one('aws_dynamodb_table', {}),
    because: /point_in_time_recovery is not enabled/,
  },
  CKV_AWS_34: {
    pass: cf(),
    fail: cf({ ordered_cache_behavior: [{ viewer_protocol_policy: 'allow-all' }] }),
    because: /"allow-all" allows plain HTTP/,
  },
  CKV_AWS_174: {
    pass: cf(),
    fail: cf({ viewer_certificate: { cloudfront_default_certificate: true } }),
    because: /default CloudFront certificate/,
  },
  CKV_AWS_68: { pass: cf(), fail: cf({ web_acl_id: undefined }), because: /web_acl_id is not set/ },
  CKV_AWS_86: { pass: cf(), fail: cf({ logging_config: undefined }), because: /logging_config is not set/ },
  GITOPS_CF_S3_OAC: {
    pass: cf(),
    fail: cf({
      origin: [{ origin_id: 'images', domain_name: 'b.s3.eu-west-1.amazonaws.com', s3_origin_config: { origin_access_identity: 'x' } }],
    }),
    because: /images have no origin_access_control_id/,
  },
  CKV_AWS_192: {
    pass: one('aws_wafv2_web_acl', {
      rule: [
        {
          name: 'bad-inputs',
          statement: { managed_rule_group_statement: { name: 'AWSManagedRulesKnownBadInputsRuleSet', vendor_name: 'AWS' } },
        },
      ],
    }),
    fail: one('aws_wafv2_web_acl', {
      rule: [{ name: 'common', statement: { managed_rule_group_statement: { name: 'AWSManagedRulesCommonRuleSet', vendor_name: 'AWS' } } }],
    }),
    because: /KnownBadInputsRuleSet is not in the web ACL/,
  },
  CKV_AWS_76: {
    pass: one('aws_api_gateway_stage', { access_log_settings: { destination_arn: 'arn', format: '{}' }, xray_tracing_enabled: true }),
    fail: one('aws_apigatewayv2_stage', {}),
    because: /access_log_settings is not set/,
  },
  CKV_AWS_73: {
    pass: one('aws_api_gateway_stage', { access_log_settings: { destination_arn: 'a' }, xray_tracing_enabled: true }),
    fail: one('aws_api_gateway_stage', { access_log_settings: { destination_arn: 'a' } }),
    because: /xray_tracing_enabled is unset/,
  },
  CKV2_AWS_70: {
    pass: one('aws_api_gateway_method', { authorization: 'CUSTOM', http_method: 'GET' }),
    fail: one('aws_api_gateway_method', { authorization: 'NONE', http_method: 'POST' }),
    because: /authorization is "NONE"/,
  },
  CKV_AWS_309: {
    pass: one('aws_apigatewayv2_route', { authorization_type: 'JWT' }),
    fail: one('aws_apigatewayv2_route', { route_key: 'GET /' }),
    because: /authorization_type is unset/,
  },
  CKV_AWS_45: {
    pass: one('aws_lambda_function', {
      tracing_config: { mode: 'Active' },
      environment: { variables: { DB_PASSWORD_SECRET_ARN: 'arn:aws:secretsmanager:eu-west-1:1:secret:x', TABLE: 't' } },
    }),
    fail: one('aws_lambda_function', {
      tracing_config: { mode: 'Active' },
      environment: { variables: { DB_PASSWORD: 'hunter22', KEY: 'AKIAABCDEFGHIJKLMNOP' } },
    }),
    because: /DB_PASSWORD, KEY hold a literal secret/,
  },
  CKV_AWS_50: {
    pass: one('aws_lambda_function', { tracing_config: { mode: 'Active' } }),
    fail: one('aws_lambda_function', { tracing_config: { mode: 'PassThrough' } }),
    because: /tracing_config.mode is "PassThrough"/,
  },
  CKV_AWS_65: {
    pass: one('aws_ecs_cluster', { setting: [{ name: 'containerInsights', value: 'enabled' }] }),
    fail: one('aws_ecs_cluster', { setting: [{ name: 'containerInsights', value: 'disabled' }] }),
    because: /containerInsights is not enabled/,
  },
  CKV_AWS_333: {
    pass: one('aws_ecs_service', { network_configuration: { assign_public_ip: false } }),
    fail: one('aws_ecs_service', { network_configuration: { assign_public_ip: true } }),
    because: /assign_public_ip is true/,
  },
  CKV_AWS_336: { pass: task({}), fail: task({ readonlyRootFilesystem: false }), because: /app have a writable root filesystem/ },
  CKV_AWS_334: { pass: task({}), fail: task({ privileged: true }), because: /app are privileged/ },
  GITOPS_ECS_LOGS: { pass: task({}), fail: task({ logConfiguration: undefined }), because: /have no logConfiguration/ },
  CKV_AWS_131: { pass: lb(), fail: lb({ drop_invalid_header_fields: false }), because: /drop_invalid_header_fields is false/ },
  CKV_AWS_150: { pass: lb(), fail: lb({ enable_deletion_protection: false }), because: /enable_deletion_protection is false/ },
  CKV_AWS_91: { pass: lb(), fail: lb({ access_logs: { enabled: false, bucket: 'logs' } }), because: /access_logs is not enabled/ },
  CKV_AWS_2: {
    pass: lb(),
    fail: lb({}, { http: { load_balancer_arn: ref('aws_lb.a', 'arn'), protocol: 'HTTP', default_action: [{ type: 'forward' }] } }),
    because: /forwards traffic instead of redirecting/,
  },
  CKV_AWS_103: {
    pass: lb(),
    fail: lb({}, { https: { load_balancer_arn: ref('aws_lb.a', 'arn'), protocol: 'HTTPS', ssl_policy: 'ELBSecurityPolicy-2016-08' } }),
    because: /ssl_policy is "ELBSecurityPolicy-2016-08"/,
  },
  CKV2_AWS_20: {
    pass: lb(),
    fail: lb({}, { http: { load_balancer_arn: ref('aws_lb.a', 'arn'), protocol: 'HTTP', default_action: [{ type: 'forward' }] } }),
    because: /HTTP listener\(s\) http do not redirect/,
  },
  CKV_AWS_163: {
    pass: one('aws_ecr_repository', { image_scanning_configuration: { scan_on_push: true }, image_tag_mutability: 'IMMUTABLE' }),
    fail: one('aws_ecr_repository', { image_tag_mutability: 'IMMUTABLE' }),
    because: /scan_on_push is not enabled/,
  },
  CKV_AWS_51: {
    pass: one('aws_ecr_repository', { image_tag_mutability: 'IMMUTABLE' }),
    fail: one('aws_ecr_repository', { image_tag_mutability: 'MUTABLE' }),
    because: /image_tag_mutability is "MUTABLE"/,
  },
  CKV_AWS_7: {
    pass: one('aws_kms_key', { enable_key_rotation: true }),
    fail: one('aws_kms_key', {}),
    because: /enable_key_rotation is unset/,
  },
  CKV_AWS_63: {
    pass: one('aws_iam_role_policy', {
      policy: JSON.stringify({
        Statement: [
          { Effect: 'Allow', Action: ['sqs:SendMessage'], Resource: 'arn:aws:sqs:eu-west-1:1:q' },
          { Effect: 'Deny', Action: '*', Resource: '*' },
        ],
      }),
    }),
    fail: one('aws_iam_policy', {
      policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: ['s3:*', 'sqs:SendMessage'], Resource: 'arn:aws:s3:::b' }] }),
    }),
    because: /allows s3:\*/,
  },
  CKV_AWS_355: {
    pass: one('aws_iam_role', {
      inline_policy: [
        {
          name: 'p',
          policy: JSON.stringify({
            Statement: [{ Effect: 'Allow', Action: ['ecr:GetAuthorizationToken', 'xray:PutTraceSegments'], Resource: '*' }],
          }),
        },
      ],
    }),
    fail: one('aws_iam_role_policy', {
      policy: JSON.stringify({ Statement: [{ Effect: 'Allow', Action: ['s3:GetObject', 'xray:PutTraceSegments'], Resource: ['*'] }] }),
    }),
    because: /grants s3:GetObject on "\*"/,
  },
  CKV_AWS_149: {
    pass: one('aws_secretsmanager_secret', { kms_key_id: 'arn:k' }),
    fail: one('aws_secretsmanager_secret', { name: 's' }),
    because: /kms_key_id is not set/,
  },
  CKV_AWS_35: { pass: one('aws_cloudtrail', { kms_key_id: 'k' }), fail: one('aws_cloudtrail', {}), because: /kms_key_id is not set/ },
  CKV_AWS_36: {
    pass: one('aws_cloudtrail', { enable_log_file_validation: true }),
    fail: one('aws_cloudtrail', { enable_log_file_validation: false }),
    because: /enable_log_file_validation is false/,
  },
  CKV_AWS_67: {
    pass: one('aws_cloudtrail', { is_multi_region_trail: true }),
    fail: one('aws_cloudtrail', {}),
    because: /is_multi_region_trail is unset/,
  },
  CKV_AWS_66: {
    pass: one('aws_cloudwatch_log_group', { retention_in_days: 30 }),
    fail: one('aws_cloudwatch_log_group', {}),
    because: /retention_in_days is unset/,
  },
  CKV2_AWS_11: { pass: vpc(), fail: vpc({}, false), because: /no aws_flow_log/ },
  CKV2_AWS_12: { pass: vpc(), fail: vpc({ ingress: [{ protocol: '-1', self: true }] }), because: /default security group has rules/ },
  GITOPS_SG_NO_OPEN_ADMIN_DB: {
    pass: sg('0.0.0.0/0', 443, 443),
    fail: sg('0.0.0.0/0', 22, 6379),
    because: /22 \(SSH\).*5432 \(PostgreSQL\).*6379 \(Redis\)/,
  },
  CKV_AZURE_113: { pass: sql(), fail: sql({ public_network_access_enabled: true }), because: /public_network_access_enabled is true/ },
  CKV_AZURE_52: { pass: sql(), fail: sql({ minimum_tls_version: '1.0' }), because: /minimum_tls_version is "1.0"/ },
  CKV_AZURE_23: { pass: sql(), fail: sql({}, false), because: /no extended auditing policy/ },
  CKV2_AZURE_25: {
    pass: one('azurerm_mssql_database', {}),
    fail: one('azurerm_mssql_database', { transparent_data_encryption_enabled: false }),
    because: /transparent_data_encryption_enabled is false/,
  },
  CKV2_AZURE_27: { pass: sql(), fail: sql({ azuread_administrator: undefined }), because: /no azuread_administrator/ },
  CKV_AZURE_3: { pass: storage(), fail: storage({ https_traffic_only_enabled: false }), because: /https_traffic_only_enabled is false/ },
  CKV_AZURE_44: { pass: storage(), fail: storage({ min_tls_version: 'TLS1_0' }), because: /min_tls_version is "TLS1_0"/ },
  CKV_AZURE_190: {
    pass: storage(),
    fail: storage({ allow_nested_items_to_be_public: true }),
    because: /allow_nested_items_to_be_public is true/,
  },
  GITOPS_AZURE_STORAGE_ENTRA: {
    pass: tf(storage({ shared_access_key_enabled: false }).resource as Record<string, Record<string, Json>>, {
      provider: { azurerm: [{ features: [{}], storage_use_azuread: true }] },
    }),
    fail: tf(storage({ shared_access_key_enabled: false }).resource as Record<string, Record<string, Json>>, {
      provider: { azurerm: [{ features: [{}] }] },
    }),
    because: /shared keys are refused but the azurerm provider has storage_use_azuread unset/,
  },
  CKV_AZURE_203: { pass: bus(), fail: bus({ local_auth_enabled: true }), because: /local_auth_enabled is true/ },
  CKV_AZURE_204: { pass: bus(), fail: bus({ public_network_access_enabled: true }), because: /public_network_access_enabled is true/ },
  CKV_AZURE_205: { pass: bus(), fail: bus({ minimum_tls_version: '1.0' }), because: /minimum_tls_version is "1.0"/ },
  CKV_AZURE_70: { pass: func(), fail: func({ https_only: false }), because: /https_only is false/ },
  GITOPS_AZURE_FUNC_IDENTITY: { pass: func(), fail: func({ identity: undefined }), because: /no managed identity/ },
  CKV_AZURE_91: { pass: azRedis(), fail: azRedis({ non_ssl_port_enabled: true }), because: /non_ssl_port_enabled is true/ },
  CKV_AZURE_89: {
    pass: azRedis(),
    fail: azRedis({ public_network_access_enabled: true }),
    because: /public_network_access_enabled is true/,
  },
  GITOPS_TAGS: {
    pass: one('aws_sqs_queue', { tags }),
    fail: one('aws_sqs_queue', { tags: { ...tags, owner: undefined } }),
    because: /missing tag\(s\) owner/,
  },
};

const run = (json: Json, ruleId: string) => {
  const stack: SynthesizedStack = { name: 's', environment: 'prod', json: JSON.parse(JSON.stringify(json)) };
  const rule = policyRules.find((r) => r.id === ruleId)!;
  return evaluatePolicy([stack], { prod: { level: 'error', waivers: [] } }, [rule]).findings;
};

describe('policy rules', () => {
  test('GIVEN the rule table WHEN compared with the cases THEN every rule has a passing and a failing case', () => {
    expect(Object.keys(cases).sort()).toEqual(policyRules.map((r) => r.id).sort());
  });

  test.each(Object.keys(cases))('GIVEN %s WHEN a compliant resource is checked THEN it passes', (id) => {
    const findings = run(cases[id].pass, id);
    expect(findings.length).toBeGreaterThan(0);
    expect(findings.filter((f) => f.verdict !== 'pass')).toEqual([]);
  });

  test.each(Object.keys(cases))('GIVEN %s WHEN a non-compliant resource is checked THEN it fails saying why', (id) => {
    const failed = run(cases[id].fail, id).filter((f) => f.verdict === 'fail');
    expect(failed).toHaveLength(1);
    expect(failed[0].detail).toMatch(cases[id].because);
  });
});
