import type { PolicyRule, ResourceView } from '../types.js';
import { asList, expectThat, get, isTrue, rule, show } from './helpers.js';

/** Ports that must never be reachable from the whole internet: remote administration and databases. */
export const SENSITIVE_PORTS: Readonly<Record<number, string>> = {
  22: 'SSH',
  3389: 'RDP',
  5432: 'PostgreSQL',
  3306: 'MySQL',
  1433: 'SQL Server',
  1521: 'Oracle',
  6379: 'Redis',
  11211: 'Memcached',
  27017: 'MongoDB',
  9200: 'Elasticsearch',
  5439: 'Redshift',
};

const OPEN = ['0.0.0.0/0', '::/0'];

interface IngressRule {
  from: number;
  to: number;
  protocol: string;
  cidrs: string[];
}

function ingressRules(r: ResourceView): IngressRule[] {
  const n = (v: unknown, d: number) => (v === undefined || v === null ? d : Number(v));
  switch (r.type) {
    case 'aws_security_group':
      return asList(r.config.ingress).map((i) => ({
        from: n(get(i, 'from_port'), 0),
        to: n(get(i, 'to_port'), 65535),
        protocol: String(get(i, 'protocol') ?? '-1'),
        cidrs: [...(asList(get(i, 'cidr_blocks')) as string[]), ...(asList(get(i, 'ipv6_cidr_blocks')) as string[])],
      }));
    case 'aws_security_group_rule':
      if (r.config.type !== 'ingress') return [];
      return [
        {
          from: n(r.config.from_port, 0),
          to: n(r.config.to_port, 65535),
          protocol: String(r.config.protocol ?? '-1'),
          cidrs: [...(asList(r.config.cidr_blocks) as string[]), ...(asList(r.config.ipv6_cidr_blocks) as string[])],
        },
      ];
    case 'aws_vpc_security_group_ingress_rule':
      return [
        {
          from: n(r.config.from_port, 0),
          to: n(r.config.to_port, 65535),
          protocol: String(r.config.ip_protocol ?? '-1'),
          cidrs: [r.config.cidr_ipv4, r.config.cidr_ipv6].filter((c): c is string => typeof c === 'string'),
        },
      ];
    default:
      return [];
  }
}

export const securityNetworkRules: PolicyRule[] = [
  rule({
    id: 'CKV_AWS_7',
    title: 'KMS key rotation is enabled',
    severity: 'medium',
    resourceTypes: ['aws_kms_key'],
    remediation: 'Set enable_key_rotation = true (KmsKey always does).',
    check: (k) =>
      String(k.config.customer_master_key_spec ?? 'SYMMETRIC_DEFAULT') !== 'SYMMETRIC_DEFAULT'
        ? undefined
        : expectThat(isTrue(k.config.enable_key_rotation), `enable_key_rotation is ${show(k.config.enable_key_rotation)}`),
  }),
  rule({
    id: 'CKV_AWS_35',
    title: 'CloudTrail logs are encrypted with KMS',
    severity: 'medium',
    resourceTypes: ['aws_cloudtrail'],
    remediation: 'Set kms_key_id to a KmsKey ARN.',
    check: (t) => expectThat(t.config.kms_key_id !== undefined, 'kms_key_id is not set'),
  }),
  rule({
    id: 'CKV_AWS_36',
    title: 'CloudTrail validates log files',
    severity: 'medium',
    resourceTypes: ['aws_cloudtrail'],
    remediation: 'Set enable_log_file_validation = true.',
    check: (t) =>
      expectThat(isTrue(t.config.enable_log_file_validation), `enable_log_file_validation is ${show(t.config.enable_log_file_validation)}`),
  }),
  rule({
    id: 'CKV_AWS_67',
    title: 'CloudTrail covers all regions',
    severity: 'medium',
    resourceTypes: ['aws_cloudtrail'],
    remediation: 'Set is_multi_region_trail = true.',
    check: (t) => expectThat(isTrue(t.config.is_multi_region_trail), `is_multi_region_trail is ${show(t.config.is_multi_region_trail)}`),
  }),
  rule({
    id: 'CKV_AWS_66',
    title: 'CloudWatch log group has a retention period',
    severity: 'low',
    resourceTypes: ['aws_cloudwatch_log_group'],
    remediation: 'Set retention_in_days (logRetentionDays in the environment file).',
    check: (g) => expectThat(Number(g.config.retention_in_days ?? 0) > 0, `retention_in_days is ${show(g.config.retention_in_days)}`),
  }),
  rule({
    id: 'CKV2_AWS_11',
    title: 'VPC has flow logs',
    severity: 'medium',
    resourceTypes: ['aws_vpc'],
    remediation: 'Add aws_flow_log for the VPC (Vpc does).',
    check: (v, stack) => expectThat(stack.referencing('aws_flow_log', 'vpc_id', v).length > 0, 'no aws_flow_log for the VPC'),
  }),
  rule({
    id: 'CKV2_AWS_12',
    title: "VPC's default security group allows no traffic",
    severity: 'medium',
    resourceTypes: ['aws_vpc'],
    remediation: 'Manage aws_default_security_group for the VPC with no ingress and no egress rules (Vpc does).',
    check: (v, stack) => {
      const dsg = stack.referencing('aws_default_security_group', 'vpc_id', v);
      if (dsg.length === 0) return 'the default security group is not managed (it allows all traffic inside the group)';
      const open = dsg.filter((g) => asList(g.config.ingress).length > 0 || asList(g.config.egress).length > 0);
      return expectThat(open.length === 0, 'the default security group has rules');
    },
  }),
  rule({
    id: 'GITOPS_SG_NO_OPEN_ADMIN_DB',
    title: 'No security group opens admin or database ports to the internet',
    severity: 'critical',
    resourceTypes: ['aws_security_group', 'aws_security_group_rule', 'aws_vpc_security_group_ingress_rule'],
    remediation: 'Allow these ports only from security groups or private CIDRs; reach admin ports through SSM Session Manager.',
    check: (r) => {
      const exposed = new Set<string>();
      for (const i of ingressRules(r)) {
        if (!i.cidrs.some((c) => OPEN.includes(c))) continue;
        const all = i.protocol === '-1' || i.protocol === 'all';
        for (const [port, name] of Object.entries(SENSITIVE_PORTS)) {
          if (all || (Number(port) >= i.from && Number(port) <= i.to)) exposed.add(`${port} (${name})`);
        }
      }
      return expectThat(exposed.size === 0, `open to 0.0.0.0/0 or ::/0 on ${[...exposed].join(', ')}`);
    },
  }),
];
