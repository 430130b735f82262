import { Testing } from 'cdktf';
import { SecurityGroup, type SecurityGroupProps, type SecurityGroupRule } from './security-group.js';
import { errorOf } from '../../../test/error-of.js';

type Resource = Record<string, unknown>;
interface Synth {
  resource: Record<string, Record<string, Resource>>;
}

function synthGroup(props: Partial<SecurityGroupProps> = {}, after?: (group: SecurityGroup) => void): Synth {
  return JSON.parse(
    Testing.synthScope((scope) => {
      const group = new SecurityGroup(scope, 'web', { vpcId: 'vpc-123', description: 'Web tier', ...props });
      after?.(group);
    }),
  ) as Synth;
}
const rules = (synth: Synth, direction: 'ingress' | 'egress') => synth.resource[`aws_vpc_security_group_${direction}_rule`] ?? {};
const https: SecurityGroupRule = { name: 'https', description: 'HTTPS from anywhere', fromPort: 443, cidrIpv4: '0.0.0.0/0' };

describe('SecurityGroup', () => {
  test('GIVEN no rules WHEN synthesized THEN the group allows nothing in or out and is replaced before it is destroyed', () => {
    const synth = synthGroup();
    expect(Object.values(synth.resource.aws_security_group)).toEqual([
      { vpc_id: 'vpc-123', description: 'Web tier', lifecycle: { create_before_destroy: true } },
    ]);
    expect(synth.resource.aws_vpc_security_group_ingress_rule).toBeUndefined();
    expect(synth.resource.aws_vpc_security_group_egress_rule).toBeUndefined();
  });

  test('GIVEN name and tags WHEN synthesized THEN the group is named and keeps its name across updates', () => {
    const [group] = Object.values(synthGroup({ name: 'web', tags: { Name: 'web' } }).resource.aws_security_group);
    expect(group).toEqual({
      vpc_id: 'vpc-123',
      description: 'Web tier',
      name: 'web',
      tags: { Name: 'web' },
      lifecycle: { create_before_destroy: false },
    });
  });

  test('GIVEN ingress rules with each kind of peer WHEN synthesized THEN each becomes one rule resource keyed by its name', () => {
    const synth = synthGroup({
      ingress: [
        https,
        { name: 'https-v6', description: 'HTTPS over IPv6', fromPort: 443, cidrIpv6: '::/0' },
        { name: 'from-alb', description: 'App port from the ALB', fromPort: 8080, toPort: 8081, peerSecurityGroupId: 'sg-alb' },
        { name: 'from-s3', description: 'S3 prefix list', fromPort: 443, prefixListId: 'pl-123' },
        { name: 'dns', description: 'DNS', protocol: 'udp', fromPort: 53, cidrIpv4: '10.0.0.0/16' },
        { name: 'ping', description: 'Ping from anywhere', protocol: 'icmp', fromPort: 8, toPort: -1, cidrIpv4: '0.0.0.0/0' },
      ],
    });
    const ingress = rules(synth, 'ingress');
    expect(
      Object.keys(ingress)
        .map((k) => k.replace(/_[0-9A-F]{8}$/, ''))
        .sort(),
    ).toEqual([
      'web_ingress-dns',
      'web_ingress-from-alb',
      'web_ingress-from-s3',
      'web_ingress-https',
      'web_ingress-https-v6',
      'web_ingress-ping',
    ]);
    const named = (name: string) => Object.entries(ingress).find(([k]) => k.startsWith(`web_ingress-${name}_`))![1];
    const values = ['https', 'https-v6', 'from-alb', 'from-s3', 'dns', 'ping'].map(named);
    expect(values[0]).toMatchObject({
      ip_protocol: 'tcp',
      from_port: 443,
      to_port: 443,
      cidr_ipv4: '0.0.0.0/0',
      description: 'HTTPS from anywhere',
    });
    expect(values[1]).toMatchObject({ cidr_ipv6: '::/0' });
    expect(values[2]).toMatchObject({ from_port: 8080, to_port: 8081, referenced_security_group_id: 'sg-alb' });
    expect(values[3]).toMatchObject({ prefix_list_id: 'pl-123' });
    expect(values[4]).toMatchObject({ ip_protocol: 'udp', from_port: 53, to_port: 53 });
    expect(values[5]).toMatchObject({ ip_protocol: 'icmp', from_port: 8, to_port: -1 });
    expect(values[0].security_group_id).toMatch(/aws_security_group\.web_group/);
  });

  test('GIVEN an all-traffic egress rule WHEN synthesized THEN it has no ports', () => {
    const synth = synthGroup({
      egress: [{ name: 'vpc', description: 'Anything inside the VPC', protocol: '-1', cidrIpv4: '10.0.0.0/16' }],
    });
    const [rule] = Object.values(rules(synth, 'egress'));
    expect(rule).toMatchObject({ ip_protocol: '-1', cidr_ipv4: '10.0.0.0/16' });
    expect(rule).not.toHaveProperty('from_port');
    expect(rule).not.toHaveProperty('to_port');
  });

  test('GIVEN SSH or RDP from anywhere WHEN constructed THEN it is refused, naming the rule, the port and the prop that allows it', () => {
    expect(() => synthGroup({ ingress: [{ name: 'ssh', description: 'SSH', fromPort: 22, cidrIpv4: '0.0.0.0/0' }] })).toThrow(
      'SecurityGroup stack/web: ingress rule "ssh" opens admin port 22 (SSH) to 0.0.0.0/0; use a narrower source (VPN, bastion security group) or set allowPublicAdminPorts: true',
    );
    expect(() => synthGroup({ ingress: [{ name: 'rdp', description: 'RDP', fromPort: 3389, cidrIpv6: '::/0' }] })).toThrow(
      'opens admin port 3389 (RDP) to ::/0',
    );
  });

  test('GIVEN a database port from anywhere WHEN constructed THEN it is refused unless allowPublicDatabasePorts is set', () => {
    for (const [port, name] of [
      [5432, 'PostgreSQL'],
      [3306, 'MySQL'],
      [1433, 'SQL Server'],
      [6379, 'Redis'],
      [27017, 'MongoDB'],
    ] as const) {
      const ingress = [{ name: 'db', description: 'Database', fromPort: port, cidrIpv4: '0.0.0.0/0' }];
      expect(() => synthGroup({ ingress })).toThrow(
        `ingress rule "db" opens database port ${port} (${name}) to 0.0.0.0/0; use a narrower source (a security group) or set allowPublicDatabasePorts: true`,
      );
      expect(() => synthGroup({ ingress, allowPublicDatabasePorts: true })).not.toThrow();
    }
  });

  test('GIVEN a port range or all traffic from anywhere WHEN constructed THEN every covered admin and database port is named', () => {
    const message = errorOf(() =>
      synthGroup({
        ingress: [
          { name: 'range', description: 'Wide range', fromPort: 3000, toPort: 6000, cidrIpv4: '0.0.0.0/0' },
          { name: 'everything', description: 'All traffic', protocol: '-1', cidrIpv6: '::/0' },
        ],
      }),
    );
    expect(message).toContain('ingress rule "range" opens admin port 3389 (RDP), 5985 (WinRM), 5986 (WinRM-HTTPS) to 0.0.0.0/0');
    expect(message).toContain('ingress rule "range" opens database port 3306 (MySQL), 5432 (PostgreSQL), 5439 (Redshift) to 0.0.0.0/0');
    expect(message).toContain('ingress rule "everything" opens admin port 22 (SSH), 23 (Telnet), 3389 (RDP)');
    expect(message).toContain('ingress rule "everything" opens database port 1433 (SQL Server)');
  });

  test('GIVEN admin and database ports from a private CIDR or a security group, or HTTPS from anywhere WHEN constructed THEN they are accepted', () => {
    const synth = synthGroup({
      ingress: [
        https,
        { name: 'ssh-vpn', description: 'SSH from the VPN', fromPort: 22, cidrIpv4: '10.0.0.0/8' },
        { name: 'db-app', description: 'PostgreSQL from the app', fromPort: 5432, peerSecurityGroupId: 'sg-app' },
      ],
    });
    expect(Object.keys(rules(synth, 'ingress'))).toHaveLength(3);
  });

  test('GIVEN allowPublicAdminPorts WHEN SSH is opened to anywhere THEN it is accepted, but database ports are still refused', () => {
    const ssh = { name: 'ssh', description: 'SSH', fromPort: 22, cidrIpv4: '0.0.0.0/0' };
    expect(Object.values(rules(synthGroup({ ingress: [ssh], allowPublicAdminPorts: true }), 'ingress'))[0]).toMatchObject({
      from_port: 22,
    });
    expect(() => synthGroup({ ingress: [{ ...ssh, toPort: 5432 }], allowPublicAdminPorts: true })).toThrow('opens database port');
  });

  test('GIVEN egress to a database port anywhere WHEN constructed THEN it is accepted (exposure checks are for ingress)', () => {
    const synth = synthGroup({ egress: [{ name: 'db', description: 'External DB', fromPort: 5432, cidrIpv4: '0.0.0.0/0' }] });
    expect(Object.keys(rules(synth, 'egress'))).toHaveLength(1);
  });

  test('GIVEN many malformed rules WHEN constructed THEN one error lists every problem with the value and what is allowed', () => {
    const message = errorOf(() =>
      synthGroup({
        description: ' ',
        ingress: [
          { name: 'bad name', description: '', fromPort: 70000, cidrIpv4: '10.0.0.1/8' },
          { name: 'twice', description: 'a', fromPort: 443, cidrIpv4: '10.0.0.0/8', peerSecurityGroupId: 'sg-1' },
          { name: 'twice', description: 'b', protocol: 'gre' as never, fromPort: 10 },
          { name: 'backwards', description: 'e', fromPort: 10, toPort: 5, cidrIpv4: '10.0.0.0/8' },
          { name: 'all', description: 'c', protocol: '-1', fromPort: 1, cidrIpv6: 'not-a-cidr' },
          { name: 'noport', description: 'd', cidrIpv4: '10.0.0.0/8' },
        ],
      }),
    );
    expect(message.startsWith('SecurityGroup stack/web: ')).toBe(true);
    for (const fragment of [
      'description must be 1-255 characters (got " ")',
      'ingress rule name must be 1-64 letters, digits, ".", "_" or "-" (got "bad name")',
      'ingress rule "bad name": description must be 1-255 characters (got "")',
      'ingress rule "bad name": fromPort must be an integer between 0 and 65535 (got 70000)',
      'ingress rule "bad name": cidrIpv4 has host bits set (got "10.0.0.1/8", the network is "10.0.0.0/8")',
      'ingress rule "twice" needs exactly one of cidrIpv4, cidrIpv6, peerSecurityGroupId, prefixListId (got cidrIpv4, peerSecurityGroupId)',
      'ingress rule "twice" is defined twice',
      'ingress rule "twice": protocol must be one of "tcp", "udp", "icmp", "icmpv6", "-1" (got "gre")',
      'ingress rule "backwards": toPort must be >= fromPort (got 10-5)',
      'ingress rule "twice" needs exactly one of cidrIpv4, cidrIpv6, peerSecurityGroupId, prefixListId (got none)',
      'ingress rule "all": protocol "-1" (all traffic) takes no ports (got fromPort 1, toPort undefined)',
      'ingress rule "all": cidrIpv6 must be an IPv6 CIDR like 2001:db8::/32 or ::/0 (got "not-a-cidr")',
      'ingress rule "noport": fromPort is required for protocol "tcp" (a port between 0 and 65535)',
    ]) {
      expect(message).toContain(fragment);
    }
  });

  test('GIVEN a constructed group WHEN rules are added THEN they are created with the same checks', () => {
    const synth = synthGroup({ ingress: [https] }, (group) => {
      group.addIngress({ name: 'http', description: 'HTTP redirect', fromPort: 80, cidrIpv4: '0.0.0.0/0' });
      group.addEgress({ name: 'app', description: 'To the app', fromPort: 8080, peerSecurityGroupId: 'sg-app' });
      expect(() => group.addIngress({ name: 'https', description: 'again', fromPort: 8443, cidrIpv4: '10.0.0.0/8' })).toThrow(
        'SecurityGroup stack/web: ingress rule "https" is defined twice',
      );
      expect(() => group.addIngress({ name: 'mysql', description: 'MySQL', fromPort: 3306, cidrIpv4: '0.0.0.0/0' })).toThrow(
        'opens database port 3306 (MySQL)',
      );
      expect(Object.keys(group.ingressRules)).toEqual(['https', 'http']);
    });
    expect(Object.keys(rules(synth, 'ingress'))).toHaveLength(2);
    expect(Object.keys(rules(synth, 'egress'))).toHaveLength(1);
  });
});
