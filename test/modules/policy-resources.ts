// For the policy rule tests: resources that pass every rule, as synthesized Terraform JSON; each
// builder takes the fields to change (or, for a bucket, the companion resource to leave out).
export type Json = Record<string, unknown>;
export const tf = (resource: Record<string, Record<string, Json>>, extra: Json = {}): Json => ({ resource, ...extra });
export const ref = (address: string, attr = 'id') => `\${${address}.${attr}}`;

/** An S3 bucket with its companion resources; `omit` drops one, `patch` changes one. */
export function bucket(omit?: string, patch: Record<string, Json> = {}): Json {
  const parts: Record<string, Record<string, Json>> = {
    aws_s3_bucket: { b: { bucket_prefix: 'x-' } },
    aws_s3_bucket_server_side_encryption_configuration: {
      b: { bucket: ref('aws_s3_bucket.b'), rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: 'aws:kms' } }] },
    },
    aws_s3_bucket_versioning: { b: { bucket: ref('aws_s3_bucket.b'), versioning_configuration: { status: 'Enabled' } } },
    aws_s3_bucket_public_access_block: {
      b: {
        bucket: ref('aws_s3_bucket.b'),
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      },
    },
    aws_s3_bucket_policy: {
      b: {
        bucket: ref('aws_s3_bucket.b'),
        policy: JSON.stringify({
          Version: '2012-10-17',
          Statement: [
            {
              Sid: 'TlsOnly',
              Effect: 'Deny',
              Principal: '*',
              Action: 's3:*',
              Resource: '*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            },
          ],
        }),
      },
    },
  };
  if (omit) delete parts[omit];
  for (const [type, cfg] of Object.entries(patch)) parts[type] = { b: { ...parts[type].b, ...cfg } };
  return tf(parts);
}

export const db = (cfg: Json = {}) =>
  tf({
    aws_db_instance: {
      d: {
        storage_encrypted: true,
        publicly_accessible: false,
        multi_az: true,
        deletion_protection: true,
        backup_retention_period: 7,
        enabled_cloudwatch_logs_exports: ['postgresql'],
        iam_database_authentication_enabled: true,
        ...cfg,
      },
    },
  });
export const redis = (cfg: Json = {}) =>
  tf({
    aws_elasticache_replication_group: {
      r: {
        at_rest_encryption_enabled: true,
        transit_encryption_enabled: true,
        auth_token: ref('data.x.y', 'z'),
        automatic_failover_enabled: true,
        multi_az_enabled: true,
        ...cfg,
      },
    },
  });
export const cf = (cfg: Json = {}) =>
  tf({
    aws_cloudfront_distribution: {
      d: {
        default_cache_behavior: { viewer_protocol_policy: 'redirect-to-https' },
        viewer_certificate: {
          acm_certificate_arn: 'arn:aws:acm:us-east-1:1:certificate/x',
          minimum_protocol_version: 'TLSv1.2_2021',
          ssl_support_method: 'sni-only',
        },
        web_acl_id: ref('aws_wafv2_web_acl.w', 'arn'),
        logging_config: { bucket: 'logs.s3.amazonaws.com' },
        origin: [
          {
            origin_id: 'images',
            domain_name: ref('aws_s3_bucket.b', 'bucket_regional_domain_name'),
            origin_access_control_id: ref('aws_cloudfront_origin_access_control.o'),
          },
        ],
        ...cfg,
      },
    },
  });
export const task = (container: Json) =>
  tf({
    aws_ecs_task_definition: {
      t: {
        container_definitions: JSON.stringify([
          { name: 'app', readonlyRootFilesystem: true, privileged: false, logConfiguration: { logDriver: 'awslogs' }, ...container },
        ]),
      },
    },
  });
export const lb = (cfg: Json = {}, listeners: Record<string, Json> = {}) =>
  tf({
    aws_lb: {
      a: {
        load_balancer_type: 'application',
        drop_invalid_header_fields: true,
        enable_deletion_protection: true,
        access_logs: { enabled: true, bucket: 'logs' },
        ...cfg,
      },
    },
    aws_lb_listener: {
      http: {
        load_balancer_arn: ref('aws_lb.a', 'arn'),
        protocol: 'HTTP',
        port: 80,
        default_action: [{ type: 'redirect', redirect: { protocol: 'HTTPS', port: '443', status_code: 'HTTP_301' } }],
      },
      https: {
        load_balancer_arn: ref('aws_lb.a', 'arn'),
        protocol: 'HTTPS',
        port: 443,
        ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
        default_action: [{ type: 'forward' }],
      },
      ...listeners,
    },
  });
export const vpc = (dsg: Json | undefined = {}, flow = true) =>
  tf({
    aws_vpc: { v: { cidr_block: '10.0.0.0/16' } },
    ...(flow ? { aws_flow_log: { f: { vpc_id: ref('aws_vpc.v'), traffic_type: 'ALL' } } } : {}),
    ...(dsg ? { aws_default_security_group: { d: { vpc_id: ref('aws_vpc.v'), ...dsg } } } : {}),
  });
export const sql = (cfg: Json = {}, audit = true) =>
  tf({
    azurerm_mssql_server: {
      s: {
        public_network_access_enabled: false,
        minimum_tls_version: '1.2',
        azuread_administrator: { login_username: 'dba', object_id: 'x' },
        ...cfg,
      },
    },
    ...(audit ? { azurerm_mssql_server_extended_auditing_policy: { a: { server_id: ref('azurerm_mssql_server.s') } } } : {}),
  });
export const one = (type: string, cfg: Json) => tf({ [type]: { r: cfg } });
export const storage = (cfg: Json = {}) =>
  one('azurerm_storage_account', { min_tls_version: 'TLS1_2', allow_nested_items_to_be_public: false, ...cfg });
export const bus = (cfg: Json = {}) =>
  one('azurerm_servicebus_namespace', {
    local_auth_enabled: false,
    public_network_access_enabled: false,
    minimum_tls_version: '1.2',
    ...cfg,
  });
export const func = (cfg: Json = {}) =>
  one('azurerm_linux_function_app', { https_only: true, identity: [{ type: 'SystemAssigned' }], ...cfg });
export const azRedis = (cfg: Json = {}) =>
  one('azurerm_redis_cache', { non_ssl_port_enabled: false, public_network_access_enabled: false, ...cfg });
export const sg = (cidr: string, from: number, to: number) =>
  one('aws_security_group', { ingress: [{ from_port: from, to_port: to, protocol: 'tcp', cidr_blocks: [cidr] }] });
export const tags = { environment: 'prod', system: 'imaging', owner: 'o', 'cost-center': 'c' };
