import { Testing } from 'cdktf';
import { GlobalAccelerator, type GlobalAcceleratorProps } from './global-accelerator.js';

type Resource = Record<string, unknown>;
interface Synth {
  resource: Record<string, Record<string, Resource>>;
}
const albEu = 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/1';
const albUs = 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/2';
const synthAccelerator = (props: Partial<GlobalAcceleratorProps> = {}): Synth =>
  JSON.parse(
    Testing.synthScope(
      (scope) =>
        new GlobalAccelerator(scope, 'ga', {
          endpointGroups: { 'eu-west-1': { albArns: [albEu] }, 'us-east-1': { albArns: [albUs] } },
          ...props,
        }),
    ),
  ) as Synth;
const only = (synth: Synth, type: string): Resource => {
  const all = Object.values(synth.resource[type] ?? {});
  if (all.length !== 1) throw new Error(`expected one ${type}, got ${all.length}`);
  return all[0];
};

describe('GlobalAccelerator', () => {
  describe('GIVEN ALBs in two regions', () => {
    const synth = synthAccelerator();

    test('WHEN synthesized THEN an enabled IPv4 accelerator listens on TCP 443 only', () => {
      expect(only(synth, 'aws_globalaccelerator_accelerator')).toEqual({
        name: 'ga',
        enabled: true,
        ip_address_type: 'IPV4',
        attributes: { flow_logs_enabled: false },
      });
      expect(only(synth, 'aws_globalaccelerator_listener')).toEqual({
        accelerator_arn: expect.stringContaining('aws_globalaccelerator_accelerator.ga_accelerator'),
        protocol: 'TCP',
        client_affinity: 'NONE',
        port_range: [{ from_port: 443, to_port: 443 }],
      });
    });

    test('WHEN synthesized THEN each region gets an endpoint group keyed by its name, pointing at its ALBs with client IPs preserved', () => {
      const groups = synth.resource.aws_globalaccelerator_endpoint_group;
      expect(
        Object.keys(groups)
          .map((k) => k.replace(/_[0-9A-F]{8}$/, ''))
          .sort(),
      ).toEqual(['ga_endpoint-group-eu-west-1', 'ga_endpoint-group-us-east-1']);
      const eu = Object.values(groups).find((g) => g.endpoint_group_region === 'eu-west-1')!;
      expect(eu).toEqual({
        listener_arn: expect.stringContaining('aws_globalaccelerator_listener.ga_listener-443'),
        endpoint_group_region: 'eu-west-1',
        traffic_dial_percentage: 100,
        endpoint_configuration: [{ endpoint_id: albEu, weight: 100, client_ip_preservation_enabled: true }],
      });
      expect(synth.resource.aws_shield_protection).toBeUndefined();
    });
  });

  test('GIVEN flow logs, affinity, dual stack, a traffic dial and Shield WHEN synthesized THEN the accelerator follows them', () => {
    const synth = synthAccelerator({
      endpointGroups: { 'eu-west-1': { albArns: [albEu], trafficDialPercentage: 25 } },
      flowLogsBucket: 'network-logs',
      clientAffinity: 'SOURCE_IP',
      ipAddressType: 'DUAL_STACK',
      shieldAdvanced: true,
      name: 'shop',
    });
    expect(only(synth, 'aws_globalaccelerator_accelerator')).toMatchObject({
      name: 'shop',
      ip_address_type: 'DUAL_STACK',
      attributes: { flow_logs_enabled: true, flow_logs_s3_bucket: 'network-logs', flow_logs_s3_prefix: 'global-accelerator/shop/' },
    });
    expect(only(synth, 'aws_globalaccelerator_listener').client_affinity).toBe('SOURCE_IP');
    expect(only(synth, 'aws_globalaccelerator_endpoint_group').traffic_dial_percentage).toBe(25);
    expect(only(synth, 'aws_shield_protection')).toEqual({
      name: 'shop',
      resource_arn: expect.stringContaining('aws_globalaccelerator_accelerator.ga_accelerator'),
    });
  });

  test('GIVEN many bad props WHEN constructed THEN one error lists every problem with the value and what is allowed', () => {
    expect(() =>
      synthAccelerator({
        name: '-ga',
        endpointGroups: {
          'eu-west-1': {
            albArns: [albUs, 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/nlb/1'],
            trafficDialPercentage: 101,
          },
          EU: { albArns: [] },
        },
        clientAffinity: 'STICKY' as never,
        flowLogsPrefix: 'x/',
      }),
    ).toThrow(
      [
        'GlobalAccelerator stack/ga: name must be 1-64 letters, digits or hyphens, not starting or ending with a hyphen (got "-ga")',
        `endpointGroups["eu-west-1"].albArns entry is in region us-east-1, not eu-west-1 (got "${albUs}")`,
        'endpointGroups["eu-west-1"].albArns entry must be an application load balancer ARN (got "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/net/nlb/1")',
        'endpointGroups["eu-west-1"].trafficDialPercentage must be between 0 and 100 (got 101)',
        'endpointGroups key must be a region name like "eu-west-1" (got "EU")',
        'endpointGroups["EU"].albArns must list 1 to 10 ARNs (got 0)',
        'clientAffinity must be one of "NONE", "SOURCE_IP" (got "STICKY")',
        'flowLogsPrefix needs flowLogsBucket',
      ].join('; '),
    );
    expect(() => synthAccelerator({ endpointGroups: {} })).toThrow('endpointGroups must name at least one region (got {})');
  });
});
