// Commerce across the clouds in prod: Route 53 sends the shop API's name from AWS to Azure Front Door when
// the AWS health checks fail, the DR stack joins the primary's Azure SQL databases to its server in a
// failover group, and the functions of both sites connect through the group's listener.
import { readFileSync } from 'node:fs';
import { Testing } from 'cdktf';
import { formatProblem, parseEnvironmentFile } from '../../../environments/config.js';
import type { Environment } from '../../../environments/schema.js';
import { errorOf } from '../../../test/error-of.js';
import { envNamed, ofType, one, systemContext, type Resource, type SynthesizedStack } from '../../../test/modules/system-synth.js';
import { commerceSystem, CommerceStack } from './index.js';

interface Synthesized extends SynthesizedStack {
  data?: Record<string, Record<string, Resource>>;
  output?: Record<string, { value: unknown }>;
}

const synth = (environment: Environment, role: 'primary' | 'dr', overrides: Record<string, unknown> = {}): Synthesized =>
  JSON.parse(
    Testing.synth(new CommerceStack(Testing.app(), `commerce-${role}`, systemContext(commerceSystem, environment, overrides, role))),
  ) as Synthesized;
/** `${<type>.<logical id>.<attribute>}` of the only resource of `type` whose logical id contains `idPart`. */
const ref = (s: Synthesized, type: string, idPart: string, attribute: string, kind: 'resource' | 'data' = 'resource'): string => {
  const ids = Object.keys((kind === 'data' ? s.data : s.resource)?.[type] ?? {}).filter((id) => id.includes(idPart));
  if (ids.length !== 1) throw new Error(`expected one ${type} with ${idPart}, found ${ids.length}`);
  return `\${${kind === 'data' ? 'data.' : ''}${type}.${ids[0]}.${attribute}}`;
};
const withSetId = (s: Synthesized, id: string) => ofType(s, 'aws_route53_record').find((r) => r.set_identifier === id);
const sqlServerSetting = (s: Synthesized) =>
  ofType(s, 'azurerm_linux_function_app').map((f) => (f.app_settings as Record<string, string>).SQL_SERVER);

describe('commerce across the clouds (prod)', () => {
  const prod = envNamed('prod');
  const primary = synth(prod, 'primary');
  const dr = synth(prod, 'dr');

  test('GIVEN prod WHEN the primary stack is synthesized THEN the AWS API is decided by a TCP check and a 5xx-share alarm, both required', () => {
    const checks = ofType(primary, 'aws_route53_health_check');
    const byType = Object.fromEntries(checks.map((c) => [c.type, c]));
    expect(checks.map((c) => c.type).sort()).toEqual(['CALCULATED', 'CLOUDWATCH_METRIC', 'TCP']);
    expect(byType.TCP).toMatchObject({
      fqdn: ref(primary, 'aws_api_gateway_domain_name', 'api-failover', 'regional_domain_name'),
      port: 443,
    });
    const alarm = ofType(primary, 'aws_cloudwatch_metric_alarm').find((a) => a.alarm_name === 'commerce-prod-api-failing-over')!;
    expect(alarm).toMatchObject({
      namespace: 'AWS/ApiGateway',
      metric_name: '5XXError',
      dimensions: { ApiName: 'commerce-prod', Stage: ref(primary, 'aws_api_gateway_stage', 'commerce-aws', 'stage_name') },
      statistic: 'Average',
      threshold: 0.5,
      period: 60,
      evaluation_periods: 3,
      treat_missing_data: 'notBreaching',
    });
    expect(byType.CLOUDWATCH_METRIC).toMatchObject({
      cloudwatch_alarm_name: ref(primary, 'aws_cloudwatch_metric_alarm', 'api-failover', 'alarm_name'),
      cloudwatch_alarm_region: 'eu-west-1',
      insufficient_data_health_status: 'LastKnownStatus',
    });
    expect(byType.CALCULATED).toMatchObject({
      child_health_threshold: 2,
      child_healthchecks: [
        ref(primary, 'aws_route53_health_check', 'reachable', 'id'),
        ref(primary, 'aws_route53_health_check', 'answering', 'id'),
      ],
    });
  });

  test('GIVEN prod WHEN the primary stack is synthesized THEN the API name fails over from the AWS custom domain (primary) to Azure Front Door (secondary)', () => {
    const zoneId = ref(primary, 'aws_route53_zone', 'commerce-aws_zone', 'zone_id', 'data');
    expect(Object.values(primary.data?.aws_route53_zone ?? {}).map((z) => z.name)).toEqual(['commerce.example.com']);
    expect(withSetId(primary, 'primary')).toMatchObject({
      zone_id: zoneId,
      name: 'api.shop.commerce.example.com',
      type: 'CNAME',
      failover_routing_policy: { type: 'PRIMARY' },
      records: [ref(primary, 'aws_api_gateway_domain_name', 'api-failover', 'regional_domain_name')],
      health_check_id: ref(primary, 'aws_route53_health_check', 'api-failover_health-check', 'id'),
    });
    expect(withSetId(primary, 'secondary')).toMatchObject({
      zone_id: zoneId,
      name: 'api.shop.commerce.example.com',
      type: 'CNAME',
      failover_routing_policy: { type: 'SECONDARY' },
      records: [ref(primary, 'azurerm_cdn_frontdoor_endpoint', 'front-door', 'host_name')],
    });
    expect(one(primary, 'aws_api_gateway_domain_name')).toMatchObject({
      domain_name: 'api.shop.commerce.example.com',
      // The existing zone is delegated: the domain waits for the certificate's validation.
      regional_certificate_arn: ref(primary, 'aws_acm_certificate_validation', 'api-failover', 'certificate_arn'),
      endpoint_configuration: { types: ['REGIONAL'] },
      security_policy: 'TLS_1_2',
    });
    expect(one(primary, 'aws_api_gateway_base_path_mapping').api_id).toBe(ref(primary, 'aws_api_gateway_rest_api', 'commerce-aws', 'id'));
    // Front Door answers the name too, its managed certificate validated through Route 53.
    expect(one(primary, 'azurerm_cdn_frontdoor_custom_domain')).toMatchObject({ host_name: 'api.shop.commerce.example.com' });
    expect(ofType(primary, 'aws_route53_record').find((r) => r.type === 'TXT')).toMatchObject({
      name: '_dnsauth.api.shop.commerce.example.com',
      records: [ref(primary, 'azurerm_cdn_frontdoor_custom_domain', 'domain-shop-api', 'validation_token')],
    });
  });

  test('GIVEN prod WHEN the DR stack is synthesized THEN it has no DNS failover of its own and creates the SQL failover group with both servers', () => {
    expect(ofType(dr, 'aws_route53_health_check')).toEqual([]);
    expect(withSetId(dr, 'primary')).toBeUndefined();
    const primaryServer = one(primary, 'azurerm_mssql_server');
    const primaryGroup = one(primary, 'azurerm_resource_group');
    expect(Object.values(dr.data?.azurerm_mssql_server ?? {})).toEqual([
      expect.objectContaining({ name: primaryServer.name, resource_group_name: primaryGroup.name }),
    ]);
    const databases = Object.values(dr.data?.azurerm_mssql_database ?? {});
    expect(databases.map((d) => d.name).sort()).toEqual(['Analytics', 'Transactions']);
    const group = one(dr, 'azurerm_mssql_failover_group');
    expect(group).toMatchObject({
      name: `${primaryServer.name as string}-fg`,
      server_id: ref(dr, 'azurerm_mssql_server', 'primary-server', 'id', 'data'),
      partner_server: [{ id: ref(dr, 'azurerm_mssql_server', 'commerce-azure_sql', 'id') }],
      read_write_endpoint_failover_policy: { mode: 'Automatic', grace_minutes: 60 },
    });
    expect((group.databases as string[]).sort()).toEqual(
      [
        ref(dr, 'azurerm_mssql_database', 'primary-analytics', 'id', 'data'),
        ref(dr, 'azurerm_mssql_database', 'primary-transactions', 'id', 'data'),
      ].sort(),
    );
    // Azure seeds the geo-secondaries on the DR server: it creates no databases of its own.
    expect(ofType(dr, 'azurerm_mssql_database')).toEqual([]);
    expect(ofType(primary, 'azurerm_mssql_database')).toHaveLength(2);
  });

  test("GIVEN prod's private endpoints WHEN the DR stack is synthesized THEN whichever server is primary answers privately in both sites' VNets", () => {
    const endpoints = Object.entries(dr.resource.azurerm_private_endpoint ?? {})
      .filter(([id]) => id.includes('sql-failover-group'))
      .map(([, e]) => e);
    const byName = Object.fromEntries(endpoints.map((e) => [e.name, e]));
    expect(Object.keys(byName).sort()).toEqual(['commerce-prod-dr-sql-pe', 'commerce-prod-dr-sql-primary-pe']);
    // The primary's server, in this site's VNet and private DNS zone.
    expect(byName['commerce-prod-dr-sql-primary-pe']).toMatchObject({
      location: 'northeurope',
      private_service_connection: { private_connection_resource_id: ref(dr, 'azurerm_mssql_server', 'primary-server', 'id', 'data') },
      private_dns_zone_group: { private_dns_zone_ids: [ref(dr, 'azurerm_private_dns_zone', 'sqlServer', 'id')] },
    });
    // This site's server, in the primary's VNet and zone (looked up by name).
    expect(byName['commerce-prod-dr-sql-pe']).toMatchObject({
      location: 'westeurope',
      resource_group_name: one(primary, 'azurerm_resource_group').name,
      subnet_id: ref(dr, 'azurerm_subnet', 'primary-subnet', 'id', 'data'),
      private_service_connection: { private_connection_resource_id: ref(dr, 'azurerm_mssql_server', 'commerce-azure_sql', 'id') },
      private_dns_zone_group: { private_dns_zone_ids: [ref(dr, 'azurerm_private_dns_zone', 'primary-sql-zone', 'id', 'data')] },
    });
    expect(Object.values(dr.data?.azurerm_subnet ?? {})).toEqual([
      expect.objectContaining({ name: 'private-endpoints', virtual_network_name: 'commerce-prod-vnet' }),
    ]);
  });

  test("GIVEN prod WHEN both stacks are synthesized THEN every function connects to the failover group's listener", () => {
    const listener = `${one(primary, 'azurerm_mssql_server').name as string}-fg.database.windows.net`;
    for (const stack of [primary, dr]) {
      expect(sqlServerSetting(stack)).toEqual([listener, listener, listener, listener]);
      for (const f of ofType(stack, 'azurerm_linux_function_app')) {
        expect((f.app_settings as Record<string, string>).SQL_CONNECTION).toContain(`Server=tcp:${listener},1433;`);
      }
    }
  });

  test('GIVEN dev (no apiFailover, no dr) WHEN synthesized THEN there is no health check, custom domain or failover group, and functions use their own server', () => {
    const dev = synth(envNamed('dev'), 'primary');
    expect(ofType(dev, 'aws_route53_health_check')).toEqual([]);
    expect(ofType(dev, 'aws_api_gateway_domain_name')).toEqual([]);
    expect(ofType(dev, 'azurerm_cdn_frontdoor_custom_domain')).toEqual([]);
    expect(ofType(dev, 'azurerm_mssql_failover_group')).toEqual([]);
    expect(new Set(sqlServerSetting(dev))).toEqual(
      new Set([ref(dev, 'azurerm_mssql_server', 'commerce-azure_sql', 'fully_qualified_domain_name')]),
    );
  });

  test('GIVEN a DR site whose primary has no Azure location WHEN the DR stack is built THEN one error names regions.primary.azure', () => {
    const noPrimaryLocation: Environment = {
      ...prod,
      regions: { ...prod.regions, primary: { ...prod.regions.primary, azure: undefined } },
    };
    expect(errorOf(() => synth(noPrimaryLocation, 'dr'))).toBe(
      "commerce (dr site): environments/prod.yaml regions.primary.azure is required: the primary site's Azure location (the DR site looks its SQL server up) (got none)",
    );
  });

  test.each([
    [
      'apiDomain: api.shop.commerce.example.com',
      'apiDomain: api.shop.other.org',
      'systems.commerce.apiDomain: must be inside dns.zone (allowed: commerce.example.com or a name ending in .commerce.example.com)',
    ],
    [
      'sqlFailoverGraceMinutes: 60',
      'sqlFailoverGraceMinutes: 30',
      'systems.commerce.sqlFailoverGraceMinutes: Too small: expected number to be >=60 (got 30)',
    ],
    [
      'dns: { zone: { existing: commerce.example.com } }',
      'dns: { zone: { existing: commerce.example.com, create: other.example.com } }',
      'systems.commerce.dns.zone: must name exactly one zone',
    ],
  ])(
    'GIVEN prod.yaml with commerce %j changed WHEN the file is parsed THEN one line names the file and the field',
    (from, to, expected) => {
      const original = readFileSync('environments/prod.yaml', 'utf8');
      expect(original).toContain(`    ${from}\n`);
      const text = original.replace(`    ${from}\n`, `    ${to}\n`);
      const { environment, problems } = parseEnvironmentFile({ file: 'environments/prod.yaml', text });
      expect(environment).toBeUndefined();
      expect(problems.map(formatProblem)).toEqual([expect.stringMatching(/^environments\/prod\.yaml:\d+: /)]);
      expect(problems.map(formatProblem)[0]).toContain(expected);
    },
  );

  test('GIVEN sqlFailoverGraceMinutes without dr WHEN the dev file is parsed THEN one line says it needs dr: true', () => {
    const text = readFileSync('environments/dev.yaml', 'utf8').replace('  commerce:\n', '  commerce:\n    sqlFailoverGraceMinutes: 60\n');
    const { problems } = parseEnvironmentFile({ file: 'environments/dev.yaml', text });
    expect(problems.map(formatProblem)).toEqual([
      expect.stringMatching(
        /^environments\/dev\.yaml:\d+: systems\.commerce\.sqlFailoverGraceMinutes: applies only with dr: true: the failover group joins the primary and DR SQL servers \(allowed: remove it, or set dr: true\)/,
      ),
    ]);
  });
});
