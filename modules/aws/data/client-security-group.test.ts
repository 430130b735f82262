import { Fn } from 'cdktf';
import { ClientSecurityGroup } from './client-security-group.js';
import { onlyResource, resourcesOf, stack, synth } from '../../../test/modules/synth.js';

describe('ClientSecurityGroup', () => {
  test('GIVEN clients by name WHEN synthesized THEN each gets one rule on the port, keyed by its name, and no egress exists', () => {
    const s = synth(
      (scope) =>
        new ClientSecurityGroup(scope, 'sg', {
          vpcId: 'vpc-1',
          port: 5432,
          description: 'PostgreSQL orders',
          clients: { api: 'sg-0123456789abcdef0', worker: 'sg-0fedcba9876543210' },
        }),
    );
    expect(onlyResource(s, 'aws_security_group')).toEqual({
      vpc_id: 'vpc-1',
      name_prefix: 'postgresql-orders-',
      description: 'PostgreSQL orders',
      revoke_rules_on_delete: true,
      lifecycle: { create_before_destroy: true },
    });
    const rules = resourcesOf(s, 'aws_vpc_security_group_ingress_rule');
    expect(Object.keys(rules).map((k) => k.replace(/_[0-9A-F]{8}$/, ''))).toEqual(['sg_from-api', 'sg_from-worker']);
    expect(Object.values(rules)[1]).toEqual({
      security_group_id: '${aws_security_group.sg_group_D532C653.id}',
      referenced_security_group_id: 'sg-0fedcba9876543210',
      ip_protocol: 'tcp',
      from_port: 5432,
      to_port: 5432,
      description: 'worker clients',
    });
  });

  test('GIVEN a client group id that is an unresolved token WHEN constructed THEN it is accepted', () => {
    const s = synth(
      (scope) =>
        new ClientSecurityGroup(scope, 'sg', { vpcId: 'vpc-1', port: 6379, description: 'Redis', clients: { api: Fn.lower('SG-1') } }),
    );
    expect(onlyResource(s, 'aws_vpc_security_group_ingress_rule').referenced_security_group_id).toBe('${lower("SG-1")}');
  });

  test('GIVEN a CIDR, a bad name or a repeated client WHEN allowed THEN one error names each problem', () => {
    const group = new ClientSecurityGroup(stack(), 'sg', {
      vpcId: 'vpc-1',
      port: 6379,
      description: 'Redis',
      clients: { api: 'sg-0123456789abcdef0' },
    });
    expect(() => group.allowFrom('any where', '0.0.0.0/0')).toThrow(
      `ClientSecurityGroup test/sg: client keys must be 1-64 letters, digits, '.', '_' or '-' (got "any where"); client.any where must be a security group id like sg-0123456789abcdef0, never a CIDR (got "0.0.0.0/0")`,
    );
    expect(() => group.allowFrom('api', 'sg-0123456789abcdef0')).toThrow('ClientSecurityGroup test/sg: client "api" is already allowed');
  });
});
