import { Testing, TerraformVariable } from 'cdktf';
import { Vpc, type VpcProps } from './vpc.js';

type Resource = Record<string, unknown>;
interface Synth {
  resource: Record<string, Record<string, Resource>>;
}

function synthVpc(props: Partial<VpcProps> = {}): { synth: Synth; vpc: Vpc } {
  let vpc: Vpc | undefined;
  const json = Testing.synthScope((scope) => {
    vpc = new Vpc(scope, 'main', { cidr: '10.0.0.0/16', availabilityZones: ['eu-west-1a', 'eu-west-1b'], ...props });
  });
  return { synth: JSON.parse(json) as Synth, vpc: vpc! };
}

const all = (synth: Synth, type: string): Resource[] => Object.values(synth.resource[type] ?? {});
const keyed = (synth: Synth, type: string): Record<string, Resource> => synth.resource[type] ?? {};
const byName = (synth: Synth, type: string, name: string): Resource | undefined =>
  all(synth, type).find((r) => (r.tags as Record<string, string> | undefined)?.Name === name);
type AclRule = { cidr_block: string; protocol: string; from_port: number; to_port: number; rule_no: number };

describe('Vpc', () => {
  describe('GIVEN only a CIDR and two AZs', () => {
    const { synth, vpc } = synthVpc();

    test('WHEN synthesized THEN the VPC has DNS support and hostnames', () => {
      expect(all(synth, 'aws_vpc')).toEqual([
        expect.objectContaining({
          cidr_block: '10.0.0.0/16',
          enable_dns_hostnames: true,
          enable_dns_support: true,
          tags: { Name: 'main' },
        }),
      ]);
    });

    test('WHEN synthesized THEN each AZ gets a public, private and isolated subnet in its own deterministic slot, without public IPs', () => {
      const subnets = all(synth, 'aws_subnet').map((s) => [
        (s.tags as Record<string, string>).Name,
        s.cidr_block,
        s.availability_zone,
        s.map_public_ip_on_launch,
      ]);
      expect(subnets.sort()).toEqual(
        [
          ['main-isolated-eu-west-1a', '10.0.128.0/21', 'eu-west-1a', false],
          ['main-isolated-eu-west-1b', '10.0.136.0/21', 'eu-west-1b', false],
          ['main-private-eu-west-1a', '10.0.64.0/21', 'eu-west-1a', false],
          ['main-private-eu-west-1b', '10.0.72.0/21', 'eu-west-1b', false],
          ['main-public-eu-west-1a', '10.0.0.0/21', 'eu-west-1a', false],
          ['main-public-eu-west-1b', '10.0.8.0/21', 'eu-west-1b', false],
        ].sort(),
      );
    });

    test('WHEN synthesized THEN there is one NAT gateway per AZ, in that AZ public subnet, and each private route table uses its own AZ NAT', () => {
      const nats = keyed(synth, 'aws_nat_gateway');
      expect(Object.keys(nats).map((k) => k.replace(/_[0-9A-F]{8}$/, ''))).toEqual(['main_nat-eu-west-1a', 'main_nat-eu-west-1b']);
      const natA = Object.keys(nats).find((k) => k.includes('eu-west-1a'))!;
      expect(nats[natA].subnet_id).toMatch(/aws_subnet\.main_public-eu-west-1a_/);
      expect(all(synth, 'aws_eip')).toHaveLength(2);
      const privateDefaults = all(synth, 'aws_route').filter((r) => r.nat_gateway_id !== undefined);
      expect(privateDefaults.map((r) => [r.route_table_id, r.nat_gateway_id])).toEqual([
        [expect.stringContaining('private-route-table-eu-west-1a'), expect.stringContaining('main_nat-eu-west-1a')],
        [expect.stringContaining('private-route-table-eu-west-1b'), expect.stringContaining('main_nat-eu-west-1b')],
      ]);
    });

    test('WHEN synthesized THEN public subnets route 0.0.0.0/0 to the internet gateway and isolated route tables have no routes', () => {
      const igwRoutes = all(synth, 'aws_route').filter((r) => r.gateway_id !== undefined);
      expect(igwRoutes).toEqual([
        expect.objectContaining({
          destination_cidr_block: '0.0.0.0/0',
          gateway_id: expect.stringContaining('aws_internet_gateway.main_internet-gateway'),
        }),
      ]);
      expect(all(synth, 'aws_route').some((r) => String(r.route_table_id).includes('isolated'))).toBe(false);
      expect(all(synth, 'aws_route_table_association')).toHaveLength(6);
    });

    test('WHEN synthesized THEN flow logs capture ALL traffic into a log group kept 365 days (CKV2_AWS_11)', () => {
      expect(all(synth, 'aws_flow_log')).toEqual([
        expect.objectContaining({
          traffic_type: 'ALL',
          log_destination_type: 'cloud-watch-logs',
          vpc_id: expect.stringContaining('aws_vpc.main_vpc'),
          log_destination: expect.stringContaining('aws_cloudwatch_log_group.main_flow-log_log-group'),
        }),
      ]);
      expect(all(synth, 'aws_cloudwatch_log_group')).toEqual([{ name: '/aws/vpc/flow-logs/main', retention_in_days: 365 }]);
    });

    test('WHEN synthesized THEN the flow-log role writes to its log group only and trusts only this account flow-logs service', () => {
      const policy = JSON.parse(all(synth, 'aws_iam_role_policy')[0].policy as string);
      const resources: string[] = policy.Statement.flatMap((s: { Resource: string[] }) => s.Resource);
      expect(resources.every((r) => r.startsWith('${aws_cloudwatch_log_group.main_flow-log_log-group'))).toBe(true);
      expect(policy.Statement.flatMap((s: { Action: string[] }) => s.Action)).not.toContain('*');
      const trust = JSON.parse(all(synth, 'aws_iam_role')[0].assume_role_policy as string);
      expect(trust.Statement[0].Principal).toEqual({ Service: 'vpc-flow-logs.amazonaws.com' });
      expect(trust.Statement[0].Condition.StringEquals['aws:SourceAccount']).toMatch(/data\.aws_caller_identity/);
    });

    test('WHEN synthesized THEN the default security group is managed with no ingress or egress rules (CKV2_AWS_12)', () => {
      const [group] = all(synth, 'aws_default_security_group');
      expect(group.vpc_id).toContain('aws_vpc.main_vpc');
      expect(group).not.toHaveProperty('ingress');
      expect(group).not.toHaveProperty('egress');
    });

    test('WHEN synthesized THEN S3 and DynamoDB gateway endpoints serve every private and isolated route table, and no interface endpoint exists', () => {
      const gateways = all(synth, 'aws_vpc_endpoint');
      expect(gateways.map((g) => g.service_name).sort()).toEqual(['com.amazonaws.eu-west-1.dynamodb', 'com.amazonaws.eu-west-1.s3']);
      for (const g of gateways) {
        expect(g.vpc_endpoint_type).toBe('Gateway');
        expect((g.route_table_ids as string[]).map((id) => id.replace(/^\$\{aws_route_table\.main_(.*)_[0-9A-F]{8}\.id\}$/, '$1'))).toEqual(
          [
            'private-route-table-eu-west-1a',
            'private-route-table-eu-west-1b',
            'isolated-route-table-eu-west-1a',
            'isolated-route-table-eu-west-1b',
          ],
        );
      }
      expect(vpc.interfaceEndpointIds).toEqual({});
    });

    test('WHEN synthesized THEN the endpoint security group accepts HTTPS from the VPC CIDR only and allows no egress', () => {
      expect(all(synth, 'aws_vpc_security_group_ingress_rule')).toEqual([
        expect.objectContaining({ ip_protocol: 'tcp', from_port: 443, to_port: 443, cidr_ipv4: '10.0.0.0/16' }),
      ]);
      expect(all(synth, 'aws_vpc_security_group_egress_rule')).toEqual([]);
      expect(vpc.endpointSecurityGroupId).toBe(vpc.endpoints.securityGroup.securityGroupId);
    });

    test('WHEN synthesized THEN the isolated NACL admits and emits VPC traffic only', () => {
      const acl = byName(synth, 'aws_network_acl', 'main-isolated')!;
      const cidrs = [...(acl.ingress as AclRule[]), ...(acl.egress as AclRule[])].map((r) => r.cidr_block);
      expect(new Set(cidrs)).toEqual(new Set(['10.0.0.0/16']));
      expect(acl.subnet_ids).toHaveLength(2);
    });

    test('WHEN synthesized THEN the public NACL admits 80 and 443 from anywhere and no NACL opens 22 or 3389 to 0.0.0.0/0', () => {
      const publicIn = byName(synth, 'aws_network_acl', 'main-public')!.ingress as AclRule[];
      expect(publicIn).toEqual(
        expect.arrayContaining([
          expect.objectContaining({ protocol: 'tcp', from_port: 80, to_port: 80, cidr_block: '0.0.0.0/0' }),
          expect.objectContaining({ protocol: 'tcp', from_port: 443, to_port: 443, cidr_block: '0.0.0.0/0' }),
        ]),
      );
      for (const acl of all(synth, 'aws_network_acl')) {
        for (const rule of acl.ingress as AclRule[]) {
          if (rule.cidr_block !== '0.0.0.0/0') continue;
          expect(rule.protocol).not.toBe('-1');
          for (const port of [20, 21, 22, 3389]) expect(port >= rule.from_port && port <= rule.to_port).toBe(false);
        }
      }
    });

    test('WHEN synthesized THEN the private NACL admits the VPC and ephemeral return traffic but no well-known port from anywhere', () => {
      const privateIn = byName(synth, 'aws_network_acl', 'main-private')!.ingress as AclRule[];
      expect(privateIn[0]).toMatchObject({ protocol: '-1', cidr_block: '10.0.0.0/16' });
      expect(privateIn.filter((r) => r.cidr_block === '0.0.0.0/0').every((r) => r.from_port >= 1024)).toBe(true);
    });

    test('WHEN read THEN the public fields list ids in AZ order', () => {
      expect(vpc.availabilityZones).toEqual(['eu-west-1a', 'eu-west-1b']);
      expect(vpc.region).toBe('eu-west-1');
      expect(vpc.privateSubnetIds).toHaveLength(2);
      expect(vpc.privateRouteTableIds).toHaveLength(2);
      expect(vpc.subnetIds('isolated')).toBe(vpc.isolatedSubnetIds);
      expect(Object.keys(vpc.natGatewayIds)).toEqual(['eu-west-1a', 'eu-west-1b']);
      expect(Object.keys(vpc.natPublicIps)).toEqual(['eu-west-1a', 'eu-west-1b']);
      expect(Object.values(vpc.privateRouteTableIdsByAz)).toEqual(vpc.privateRouteTableIds);
      expect(Object.keys(vpc.isolatedRouteTableIdsByAz)).toEqual(['eu-west-1a', 'eu-west-1b']);
    });
  });

  test('GIVEN natGateways single WHEN synthesized THEN one NAT in the first AZ serves every private route table', () => {
    const { synth } = synthVpc({ natGateways: 'single', availabilityZones: ['eu-west-1b', 'eu-west-1a', 'eu-west-1c'] });
    const nats = Object.keys(keyed(synth, 'aws_nat_gateway'));
    expect(nats).toHaveLength(1);
    expect(nats[0]).toContain('nat-eu-west-1b');
    const natRoutes = all(synth, 'aws_route').filter((r) => r.nat_gateway_id !== undefined);
    expect(natRoutes).toHaveLength(3);
    expect(new Set(natRoutes.map((r) => r.nat_gateway_id))).toEqual(new Set([expect.stringContaining('nat-eu-west-1b')]));
  });

  test('GIVEN natGateways none WHEN synthesized THEN there is no NAT, no Elastic IP and no private default route', () => {
    const { synth, vpc } = synthVpc({ natGateways: 'none' });
    expect(synth.resource.aws_nat_gateway).toBeUndefined();
    expect(synth.resource.aws_eip).toBeUndefined();
    expect(all(synth, 'aws_route')).toHaveLength(1);
    expect(vpc.natGatewayIds).toEqual({});
    expect(vpc.natPublicIps).toEqual({});
  });

  test('GIVEN flowLogRetentionDays and flowLogKmsKeyArn WHEN synthesized THEN the log group uses them', () => {
    const kms = 'arn:aws:kms:eu-west-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab';
    const { synth } = synthVpc({ flowLogRetentionDays: 731, flowLogKmsKeyArn: kms });
    expect(all(synth, 'aws_cloudwatch_log_group')).toEqual([{ name: '/aws/vpc/flow-logs/main', retention_in_days: 731, kms_key_id: kms }]);
  });

  test('GIVEN gatewayEndpoints [s3] WHEN synthesized THEN only the S3 gateway endpoint exists; [] gives none', () => {
    expect(all(synthVpc({ gatewayEndpoints: ['s3'] }).synth, 'aws_vpc_endpoint').map((e) => e.service_name)).toEqual([
      'com.amazonaws.eu-west-1.s3',
    ]);
    expect(synthVpc({ gatewayEndpoints: [] }).synth.resource.aws_vpc_endpoint).toBeUndefined();
  });

  test('GIVEN interfaceEndpoints WHEN synthesized THEN each service gets a private-DNS endpoint in the private subnets behind the endpoint group, keyed by name', () => {
    const { synth, vpc } = synthVpc({ interfaceEndpoints: ['ecr.api', 'execute-api'], gatewayEndpoints: [] });
    const endpoints = all(synth, 'aws_vpc_endpoint');
    expect(endpoints.map((e) => e.service_name)).toEqual(['com.amazonaws.eu-west-1.ecr.api', 'com.amazonaws.eu-west-1.execute-api']);
    for (const e of endpoints) {
      expect(e).toMatchObject({
        vpc_endpoint_type: 'Interface',
        private_dns_enabled: true,
        security_group_ids: [expect.stringContaining('main_endpoints_security-group')],
      });
      expect(e.subnet_ids).toEqual([expect.stringContaining('private-eu-west-1a'), expect.stringContaining('private-eu-west-1b')]);
    }
    expect(Object.keys(vpc.interfaceEndpointIds)).toEqual(['ecr.api', 'execute-api']);
    expect(Object.keys(keyed(synth, 'aws_vpc_endpoint')).map((k) => k.replace(/_[0-9A-F]{8}$/, ''))).toEqual([
      'main_endpoints_interface-ecrapi',
      'main_endpoints_interface-execute-api',
    ]);
  });

  test('GIVEN name WHEN synthesized THEN Name tags and the flow-log group use it', () => {
    const { synth } = synthVpc({ name: 'payments' });
    expect(all(synth, 'aws_vpc')[0].tags).toEqual({ Name: 'payments' });
    expect(byName(synth, 'aws_subnet', 'payments-private-eu-west-1a')).toBeDefined();
    expect(all(synth, 'aws_cloudwatch_log_group')[0].name).toBe('/aws/vpc/flow-logs/payments');
  });

  test('GIVEN subnetNewBits 8 WHEN synthesized THEN subnets are /24 in the same slots', () => {
    const { synth } = synthVpc({ subnetNewBits: 8 });
    expect(byName(synth, 'aws_subnet', 'main-public-eu-west-1b')!.cidr_block).toBe('10.0.1.0/24');
    expect(byName(synth, 'aws_subnet', 'main-private-eu-west-1a')!.cidr_block).toBe('10.0.8.0/24');
    expect(byName(synth, 'aws_subnet', 'main-isolated-eu-west-1b')!.cidr_block).toBe('10.0.17.0/24');
  });

  test('GIVEN an AZ is removed WHEN synthesized THEN the remaining subnets keep their construct ids and CIDRs', () => {
    const three = synthVpc({ availabilityZones: ['eu-west-1a', 'eu-west-1b', 'eu-west-1c'] }).synth;
    const two = synthVpc({ availabilityZones: ['eu-west-1a', 'eu-west-1c'] }).synth;
    const subnetC = (s: Synth) => Object.entries(keyed(s, 'aws_subnet')).filter(([k]) => k.includes('eu-west-1c'));
    expect(subnetC(two)).toEqual(subnetC(three));
    expect(subnetC(two)).toHaveLength(3);
  });

  test('GIVEN privateNetworkCidrs WHEN synthesized THEN the private NACL admits them and the isolated NACL still does not', () => {
    const { synth } = synthVpc({ privateNetworkCidrs: ['192.168.0.0/16', '172.16.0.0/12'] });
    const privateIn = byName(synth, 'aws_network_acl', 'main-private')!.ingress as AclRule[];
    expect(privateIn.filter((r) => r.protocol === '-1').map((r) => [r.rule_no, r.cidr_block])).toEqual([
      [100, '10.0.0.0/16'],
      [110, '192.168.0.0/16'],
      [120, '172.16.0.0/12'],
    ]);
    const isolatedIn = byName(synth, 'aws_network_acl', 'main-isolated')!.ingress as AclRule[];
    expect(isolatedIn.map((r) => r.cidr_block)).toEqual(['10.0.0.0/16']);
  });

  test('GIVEN a CIDR from a Terraform variable WHEN synthesized THEN subnets are carved with cidrsubnet()', () => {
    const json = Testing.synthScope((scope) => {
      const cidr = new TerraformVariable(scope, 'cidr', { type: 'string' });
      new Vpc(scope, 'main', { cidr: cidr.stringValue, availabilityZones: ['eu-west-1b'] });
    });
    const synth = JSON.parse(json) as Synth;
    expect(byName(synth, 'aws_subnet', 'main-private-eu-west-1b')!.cidr_block).toBe('${cidrsubnet(var.cidr, 5, 9)}');
  });

  test('GIVEN many bad props WHEN constructed THEN one error lists every problem with its value and what is allowed', () => {
    const attempt = () =>
      synthVpc({
        cidr: '10.0.1.0/16',
        availabilityZones: ['eu-west-1a', 'eu-west-1a', 'us-east-1z', 'us-east-1b'],
        natGateways: 'two' as never,
        flowLogRetentionDays: 42,
        gatewayEndpoints: ['s3', 'sqs' as never],
        interfaceEndpoints: ['ECR API'],
        name: '-bad',
        privateNetworkCidrs: ['0.0.0.0/0'],
      });
    expect(attempt).toThrow(/^Vpc stack\/main: /);
    const message = (() => {
      try {
        attempt();
        return '';
      } catch (e) {
        return (e as Error).message;
      }
    })();
    for (const fragment of [
      'cidr has host bits set (got "10.0.1.0/16", the network is "10.0.0.0/16")',
      'availabilityZones entry must be an AZ name ending in a letter a-h, like "eu-west-1a" (got "us-east-1z")',
      'availabilityZones must be unique (got ["eu-west-1a"] more than once)',
      'availabilityZones must all be in one region (got ["eu-west-1","us-east-1"])',
      'natGateways must be one of "single", "perAz", "none" (got "two")',
      'flowLogRetentionDays must be one of 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365',
      '(got 42)',
      'gatewayEndpoints entry must be one of "s3", "dynamodb" (got "sqs")',
      'interfaceEndpoints entry must be a service short name like "ecr.api" or "execute-api" (got "ECR API")',
      'name must be 1-63 letters, digits',
      'privateNetworkCidrs entry must not be 0.0.0.0/0',
    ]) {
      expect(message).toContain(fragment);
    }
    expect(message.split('; ')).toHaveLength(10);
  });

  test('GIVEN an interface endpoint for a service that has a gateway endpoint WHEN constructed THEN it is refused', () => {
    expect(() => synthVpc({ interfaceEndpoints: ['s3', 'sqs'] })).toThrow(
      'Vpc stack/main: interfaceEndpoints must not repeat a gateway endpoint (got ["s3"]; the gateway endpoint already serves the VPC and private DNS cannot be on both)',
    );
    expect(() => synthVpc({ interfaceEndpoints: ['s3'], gatewayEndpoints: ['dynamodb'] })).not.toThrow();
  });

  test('GIVEN a VPC too small for its subnets or an invalid CIDR WHEN constructed THEN the error names the prefix limits', () => {
    expect(() => synthVpc({ cidr: '10.0.0.0/12' })).toThrow(
      'Vpc stack/main: cidr prefix length must be an integer between 16 and 28 (got 12)',
    );
    expect(() => synthVpc({ cidr: '10.0.0.0/25' })).toThrow(
      'Vpc stack/main: cidr 10.0.0.0/25 is too small for subnetNewBits 5: subnets would be /30 (AWS allows up to /28; use a /23 or larger VPC)',
    );
    expect(() => synthVpc({ cidr: '10.0.0/16', subnetNewBits: 4, availabilityZones: [] })).toThrow(
      'Vpc stack/main: cidr must be an IPv4 CIDR like 10.0.0.0/16 (got "10.0.0/16"); subnetNewBits must be an integer between 5 and 12 (got 4); availabilityZones must list 1 to 8 AZ names (got 0)',
    );
  });
});
