import { Testing } from 'cdktf';
import { FailoverRecord, type FailoverRecordProps } from './failover-record.js';
import { errorOf } from '../../../test/error-of.js';

type Resource = Record<string, unknown>;
interface Synth {
  resource: Record<string, Record<string, Resource>>;
}

const alb = { dnsName: 'web-123.eu-west-1.elb.amazonaws.com', zoneId: 'Z32O12XQLNTSW2' };
const base: FailoverRecordProps = {
  zoneId: 'Z123',
  recordName: 'api.example.com',
  primary: { ipAddresses: ['203.0.113.10'] },
  secondary: alb,
};
function synthRecord(props: Partial<FailoverRecordProps> = {}): Synth {
  return JSON.parse(Testing.synthScope((scope) => new FailoverRecord(scope, 'api', { ...base, ...props }))) as Synth;
}
const all = (synth: Synth, type: string): Resource[] => Object.values(synth.resource[type] ?? {});
const record = (synth: Synth, id: 'primary' | 'secondary') => all(synth, 'aws_route53_record').find((r) => r.set_identifier === id)!;

describe('FailoverRecord', () => {
  describe('GIVEN an on-premises IP address and an ALB', () => {
    const synth = synthRecord();

    test('WHEN synthesized THEN the primary is an A record to the IP, health-checked, with a 60 s TTL', () => {
      expect(record(synth, 'primary')).toEqual({
        zone_id: 'Z123',
        name: 'api.example.com',
        type: 'A',
        ttl: 60,
        records: ['203.0.113.10'],
        set_identifier: 'primary',
        failover_routing_policy: { type: 'PRIMARY' },
        health_check_id: expect.stringContaining('aws_route53_health_check.api_health-check'),
      });
    });

    test('WHEN synthesized THEN the secondary is an alias to the ALB that evaluates target health', () => {
      expect(record(synth, 'secondary')).toEqual({
        zone_id: 'Z123',
        name: 'api.example.com',
        type: 'A',
        set_identifier: 'secondary',
        failover_routing_policy: { type: 'SECONDARY' },
        alias: { name: alb.dnsName, zone_id: alb.zoneId, evaluate_target_health: true },
      });
    });

    test('WHEN synthesized THEN the health check is HTTPS on 443 /health against the IP with SNI for the record name', () => {
      expect(all(synth, 'aws_route53_health_check')).toEqual([
        {
          type: 'HTTPS',
          ip_address: '203.0.113.10',
          fqdn: 'api.example.com',
          port: 443,
          resource_path: '/health',
          failure_threshold: 3,
          request_interval: 30,
          enable_sni: true,
          tags: { Name: 'api.example.com on-premises 203.0.113.10' },
        },
      ]);
    });
  });

  test('GIVEN several on-premises IPs WHEN synthesized THEN each is checked and a calculated check keeps the primary up while one answers', () => {
    const synth = synthRecord({ primary: { ipAddresses: ['203.0.113.10', '203.0.113.11'] } });
    const checks = synth.resource.aws_route53_health_check;
    const ids = Object.keys(checks).map((k) => k.replace(/_[0-9A-F]{8}$/, ''));
    expect(ids.sort()).toEqual(['api_health-check', 'api_health-check-203-0-113-10', 'api_health-check-203-0-113-11']);
    const calculated = Object.values(checks).find((c) => c.type === 'CALCULATED')!;
    expect(calculated.child_health_threshold).toBe(1);
    expect(calculated.child_healthchecks).toHaveLength(2);
    expect(record(synth, 'primary').records).toEqual(['203.0.113.10', '203.0.113.11']);
    expect(record(synth, 'primary').health_check_id).toMatch(/api_health-check_[0-9A-F]{8}\.id/);
  });

  test('GIVEN an on-premises DNS name WHEN synthesized THEN both records are CNAMEs and the health check targets that name', () => {
    const synth = synthRecord({ primary: { domainName: 'gw.corp.example.net' } });
    expect(record(synth, 'primary')).toMatchObject({ type: 'CNAME', records: ['gw.corp.example.net'], ttl: 60 });
    expect(record(synth, 'secondary')).toMatchObject({ type: 'CNAME', records: [alb.dnsName], ttl: 60 });
    expect(record(synth, 'secondary')).not.toHaveProperty('alias');
    const [check] = all(synth, 'aws_route53_health_check');
    expect(check).toMatchObject({ type: 'HTTPS', fqdn: 'gw.corp.example.net' });
    expect(check).not.toHaveProperty('ip_address');
  });

  test('GIVEN health-check options and a TTL WHEN synthesized THEN the check and the primary record use them', () => {
    const synth = synthRecord({
      ttl: 30,
      healthCheck: {
        resourcePath: '/status',
        port: 8443,
        hostName: 'status.example.com',
        failureThreshold: 2,
        requestInterval: 10,
        searchString: 'OK',
        regions: ['eu-west-1', 'us-east-1', 'us-west-2'],
      },
    });
    expect(all(synth, 'aws_route53_health_check')[0]).toMatchObject({
      type: 'HTTPS_STR_MATCH',
      search_string: 'OK',
      port: 8443,
      resource_path: '/status',
      fqdn: 'status.example.com',
      failure_threshold: 2,
      request_interval: 10,
      regions: ['eu-west-1', 'us-east-1', 'us-west-2'],
    });
    expect(record(synth, 'primary').ttl).toBe(30);
  });

  test('GIVEN many bad props WHEN constructed THEN one error lists every problem with the value and what is allowed', () => {
    const message = errorOf(() =>
      synthRecord({
        recordName: 'not a name',
        primary: { ipAddresses: ['10.0.0.300', '1.1.1.1', '1.1.1.1'] },
        ttl: -1,
        healthCheck: {
          resourcePath: 'health',
          port: 0,
          hostName: 'bad host',
          failureThreshold: 11,
          requestInterval: 15 as never,
          searchString: '',
          regions: ['eu-west-1', 'mars-1'],
        },
      }),
    );
    expect(message.startsWith('FailoverRecord stack/api: ')).toBe(true);
    for (const fragment of [
      'recordName must be a DNS name like "api.example.com" (got "not a name")',
      'primary.ipAddresses entry must be an IPv4 address like 203.0.113.10 (got "10.0.0.300")',
      'primary.ipAddresses must be unique (got ["1.1.1.1"] more than once)',
      'ttl must be an integer between 0 and 86400 (got -1)',
      'healthCheck.resourcePath must be a path starting with "/", at most 255 characters (got "health")',
      'healthCheck.port must be an integer between 1 and 65535 (got 0)',
      'healthCheck.hostName must be a DNS name like "api.example.com" (got "bad host")',
      'healthCheck.failureThreshold must be an integer between 1 and 10 (got 11)',
      'healthCheck.requestInterval must be one of 10, 30 (got 15)',
      'healthCheck.searchString must be 1-255 characters (got 0 characters)',
      'healthCheck.regions must list at least 3 regions (got ["eu-west-1","mars-1"])',
      'healthCheck.regions entry must be one of "us-east-1", "us-west-1", "us-west-2", "eu-west-1", "ap-southeast-1", "ap-southeast-2", "ap-northeast-1", "sa-east-1" (got "mars-1")',
    ]) {
      expect(message).toContain(fragment);
    }
  });

  test('GIVEN a primary with both, neither or a self-referencing name WHEN constructed THEN the error explains the rule', () => {
    expect(() => synthRecord({ primary: { ipAddresses: ['1.1.1.1'], domainName: 'a.example.com' } })).toThrow(
      'FailoverRecord stack/api: primary needs exactly one of ipAddresses and domainName (got both)',
    );
    expect(() => synthRecord({ primary: {} })).toThrow('primary needs exactly one of ipAddresses and domainName (got neither)');
    expect(() => synthRecord({ primary: { ipAddresses: [] } })).toThrow('primary.ipAddresses must list 1 to 8 addresses (got 0)');
    expect(() => synthRecord({ primary: { domainName: 'api.example.com.' } })).toThrow(
      'primary.domainName must differ from recordName (got "api.example.com."): a record cannot fail over to itself',
    );
  });

  test('GIVEN a health check built elsewhere and a CNAME secondary without a zone WHEN synthesized THEN the primary uses that check and no HTTPS check is made', () => {
    const synth = synthRecord({
      primary: { domainName: 'd-abc.execute-api.eu-west-1.amazonaws.com' },
      primaryHealthCheckId: 'hc-calculated',
      secondary: { dnsName: 'shop-fd.z01.azurefd.net' },
    });
    expect(all(synth, 'aws_route53_health_check')).toEqual([]);
    expect(record(synth, 'primary')).toMatchObject({ type: 'CNAME', health_check_id: 'hc-calculated' });
    expect(record(synth, 'secondary')).toMatchObject({ type: 'CNAME', records: ['shop-fd.z01.azurefd.net'] });
  });

  test('GIVEN an alias secondary without a zone, or both health check kinds WHEN constructed THEN one error names each', () => {
    const message = errorOf(() =>
      synthRecord({ secondary: { dnsName: alb.dnsName }, primaryHealthCheckId: 'hc-1', healthCheck: { resourcePath: '/up' } }),
    );
    expect(message).toContain('secondary.zoneId is required with primary.ipAddresses (the secondary is an alias A record)');
    expect(message).toContain('give healthCheck or primaryHealthCheckId, not both');
  });
});
