import { Lb } from '@cdktf/provider-aws/lib/lb/index.js';
import { LbListener } from '@cdktf/provider-aws/lib/lb-listener/index.js';
import { LbTargetGroup } from '@cdktf/provider-aws/lib/lb-target-group/index.js';
import { Testing } from 'cdktf';
import type { Construct } from 'constructs';
import { SecureBucket } from '../data/s3-bucket.js';
import { SecurityGroup } from '../network/security-group.js';
import {
  ApplicationLoadBalancer,
  type ApplicationLoadBalancerProps,
  NetworkLoadBalancer,
  type NetworkLoadBalancerProps,
} from './load-balancer.js';
import { onlyResource, resourcesOf, stack, synth, type Synth } from '../../../test/modules/synth.js';

const CERT = 'arn:aws:acm:eu-west-1:111111111111:certificate/abcd-1234';
const alb = (overrides: Partial<ApplicationLoadBalancerProps> = {}): ApplicationLoadBalancerProps => ({
  name: 'payments-web',
  vpcId: 'vpc-123',
  vpcCidr: '10.0.0.0/16',
  subnetIds: ['subnet-a', 'subnet-b'],
  certificateArn: CERT,
  ingressCidrs: { vpc: '10.0.0.0/16' },
  targetGroups: { web: { port: 8080 } },
  defaultTargetGroup: 'web',
  ...overrides,
});
const nlb = (overrides: Partial<NetworkLoadBalancerProps> = {}): NetworkLoadBalancerProps => ({
  name: 'payments-internal',
  vpcId: 'vpc-123',
  subnetIds: ['subnet-a', 'subnet-b'],
  listeners: { api: { port: 443, certificateArn: CERT, targetGroup: 'api' } },
  targetGroups: { api: { port: 8443 } },
  ...overrides,
});

const buildAlb = (overrides: Partial<ApplicationLoadBalancerProps>) => () => new ApplicationLoadBalancer(stack(), 'alb', alb(overrides));
const synthAlb = (overrides: Partial<ApplicationLoadBalancerProps> = {}): Synth =>
  synth((scope) => new ApplicationLoadBalancer(scope, 'alb', alb(overrides)));
const buildNlb = (overrides: Partial<NetworkLoadBalancerProps>) => () => new NetworkLoadBalancer(stack(), 'nlb', nlb(overrides));
const synthNlb = (overrides: Partial<NetworkLoadBalancerProps> = {}): Synth =>
  synth((scope) => new NetworkLoadBalancer(scope, 'nlb', nlb(overrides)));

function bucketPolicy(s: Synth): {
  Statement: { Sid: string; Principal: Record<string, string[]>; Action: string[]; Resource: string[] }[];
} {
  return JSON.parse(onlyResource(s, 'aws_s3_bucket_policy').policy as string);
}

function listeners(s: Synth): Record<string, unknown>[] {
  return Object.values(resourcesOf(s, 'aws_lb_listener'));
}

describe('ApplicationLoadBalancer', () => {
  test('GIVEN minimal props WHEN synthesized THEN it is internal, drops invalid headers, is deletion-protected and logs to S3', () => {
    const out = Testing.synthScope((scope) => new ApplicationLoadBalancer(scope, 'alb', alb()));
    expect(out).toHaveResourceWithProperties(Lb, {
      name: 'payments-web',
      load_balancer_type: 'application',
      internal: true,
      drop_invalid_header_fields: true,
      enable_deletion_protection: true,
      access_logs: expect.objectContaining({ enabled: true, prefix: 'payments-web' }),
    });
  });

  test('GIVEN minimal props WHEN synthesized THEN HTTPS uses the TLS 1.2+ policy and HTTP only redirects to HTTPS', () => {
    const out = Testing.synthScope((scope) => new ApplicationLoadBalancer(scope, 'alb', alb()));
    expect(out).toHaveResourceWithProperties(LbListener, {
      port: 443,
      protocol: 'HTTPS',
      ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      certificate_arn: CERT,
    });
    expect(out).toHaveResourceWithProperties(LbListener, {
      port: 80,
      protocol: 'HTTP',
      default_action: [{ type: 'redirect', redirect: { port: '443', protocol: 'HTTPS', status_code: 'HTTP_301' } }],
    });
    expect(listeners(JSON.parse(out))).toHaveLength(2);
  });

  test('GIVEN no accessLogs WHEN synthesized THEN a bucket is created whose policy lets ELB write under the prefix and logs expire after 365 days', () => {
    const s = synthAlb();
    const statement = bucketPolicy(s).Statement.find((st) => st.Sid === 'AlbAccessLogspaymentsweb')!;
    expect(statement.Action).toEqual(['s3:PutObject']);
    expect(statement.Principal.Service).toEqual(['logdelivery.elasticloadbalancing.amazonaws.com']);
    expect(statement.Principal.AWS?.[0]).toMatch(/data\.aws_elb_service_account\..*\.arn/);
    expect(statement.Resource[0]).toMatch(/\/payments-web\/AWSLogs\/\$\{data\.aws_caller_identity\..*\.account_id\}\/\*$/);
    const lifecycle = onlyResource(s, 'aws_s3_bucket_lifecycle_configuration').rule as { id: string; expiration?: { days: number }[] }[];
    expect(lifecycle.find((r) => r.id === 'expire-access-logs')?.expiration).toEqual([{ days: 365 }]);
    expect(onlyResource(s, 'aws_s3_bucket').force_destroy).toBe(false);
  });

  test('GIVEN a shared bucket, a prefix and elbServiceAccount false WHEN synthesized THEN the statement goes on that bucket with only the service principal', () => {
    const s = synth((scope: Construct) => {
      const bucket = new SecureBucket(scope, 'logs', { bucketPrefix: 'shared-logs-' });
      new ApplicationLoadBalancer(scope, 'alb', alb({ accessLogs: { bucket, prefix: 'alb/web' }, elbServiceAccount: false }));
    });
    expect(Object.keys(resourcesOf(s, 'aws_s3_bucket'))).toHaveLength(1);
    const statement = bucketPolicy(s).Statement.find((st) => st.Sid === 'AlbAccessLogspaymentsweb')!;
    expect(statement.Principal).toEqual({ Service: ['logdelivery.elasticloadbalancing.amazonaws.com'] });
    expect(statement.Resource[0]).toContain('/alb/web/AWSLogs/');
    expect(onlyResource(s, 'aws_lb').access_logs).toMatchObject({ prefix: 'alb/web' });
    expect(s.data?.aws_elb_service_account).toBeUndefined();
  });

  test('GIVEN ingress CIDRs and security groups WHEN synthesized THEN 443 and 80 open from each and egress reaches only target ports in the VPC', () => {
    const s = synthAlb({ ingressCidrs: { office: '192.0.2.0/24' }, ingressSecurityGroups: { cdn: 'sg-cdn' } });
    const ingress = Object.values(resourcesOf(s, 'aws_vpc_security_group_ingress_rule')).map((r) => [
      r.from_port,
      r.cidr_ipv4 ?? r.referenced_security_group_id,
    ]);
    expect(ingress).toEqual(
      expect.arrayContaining([
        [443, '192.0.2.0/24'],
        [80, '192.0.2.0/24'],
        [443, 'sg-cdn'],
        [80, 'sg-cdn'],
      ]),
    );
    expect(ingress).toHaveLength(4);
    const egress = Object.values(resourcesOf(s, 'aws_vpc_security_group_egress_rule'));
    expect(egress.map((r) => [r.from_port, r.to_port, r.cidr_ipv4])).toEqual([[8080, 8080, '10.0.0.0/16']]);
  });

  test('GIVEN a target group WHEN synthesized THEN it targets IPs over HTTP with a /health check and is replaced before destroyed', () => {
    const out = Testing.synthScope((scope) => new ApplicationLoadBalancer(scope, 'alb', alb()));
    expect(out).toHaveResourceWithProperties(LbTargetGroup, {
      port: 8080,
      protocol: 'HTTP',
      target_type: 'ip',
      vpc_id: 'vpc-123',
      deregistration_delay: '30',
      health_check: expect.objectContaining({ path: '/health', matcher: '200-399', port: 'traffic-port', protocol: 'HTTP' }),
      lifecycle: { create_before_destroy: true },
      tags: { Name: 'payments-web-web' },
    });
  });

  test('GIVEN every optional prop WHEN synthesized THEN each reaches the output', () => {
    const s = synthAlb({
      internetFacing: true,
      ingressCidrs: { internet: '0.0.0.0/0' },
      sslPolicy: 'ELBSecurityPolicy-TLS13-1-3-2021-06',
      deletionProtection: false,
      accessLogRetentionDays: 30,
      idleTimeoutSeconds: 120,
      targetGroups: {
        web: { port: 8080 },
        api: {
          port: 9090,
          protocol: 'HTTPS',
          deregistrationDelaySeconds: 5,
          healthCheck: { path: '/ready', matcher: '200', intervalSeconds: 30 },
        },
      },
      defaultTargetGroup: undefined,
      routes: { api: { priority: 10, targetGroup: 'api', pathPatterns: ['/api/*'], hostHeaders: ['pay.example.com'] } },
    });
    expect(onlyResource(s, 'aws_lb')).toMatchObject({ internal: false, enable_deletion_protection: false, idle_timeout: 120 });
    expect(onlyResource(s, 'aws_s3_bucket').force_destroy).toBe(true);
    const https = listeners(s).find((l) => l.port === 443)!;
    expect(https.ssl_policy).toBe('ELBSecurityPolicy-TLS13-1-3-2021-06');
    expect(https.default_action).toEqual([
      { type: 'fixed-response', fixed_response: { content_type: 'text/plain', status_code: '404', message_body: 'Not Found' } },
    ]);
    const rule = onlyResource(s, 'aws_lb_listener_rule');
    expect(rule.priority).toBe(10);
    expect(rule.condition).toEqual([{ path_pattern: { values: ['/api/*'] } }, { host_header: { values: ['pay.example.com'] } }]);
    const api = Object.values(resourcesOf(s, 'aws_lb_target_group')).find((g) => g.port === 9090)!;
    expect(api).toMatchObject({
      protocol: 'HTTPS',
      deregistration_delay: '5',
      health_check: expect.objectContaining({ path: '/ready', matcher: '200', interval: 30 }),
    });
    const lifecycle = onlyResource(s, 'aws_s3_bucket_lifecycle_configuration').rule as { id: string; expiration?: { days: number }[] }[];
    expect(lifecycle.find((r) => r.id === 'expire-access-logs')?.expiration).toEqual([{ days: 30 }]);
  });

  test('GIVEN the construct WHEN asked for a request-count label THEN it joins the ALB and target group suffixes, and refuses an unknown group', () => {
    const lb = new ApplicationLoadBalancer(stack(), 'alb', alb());
    expect(lb.requestCountResourceLabel('web')).toMatch(/^\$\{TfToken.*\}\/\$\{TfToken.*\}$/);
    expect(() => lb.requestCountResourceLabel('api')).toThrow(
      'ApplicationLoadBalancer test/alb: requestCountResourceLabel: no target group "api" (have: web)',
    );
  });

  test('GIVEN bad props WHEN constructed THEN one error lists every problem with values and allowed values', () => {
    expect(
      buildAlb({
        name: 'Payments_Web',
        certificateArn: 'cert',
        sslPolicy: 'ELBSecurityPolicy-2016-08',
        ingressCidrs: {},
        targetGroups: { web: { port: 70000, protocol: 'TCP' } },
        defaultTargetGroup: 'nope',
        routes: { a: { priority: 5, targetGroup: 'web', pathPatterns: ['/a'] }, b: { priority: 5, targetGroup: 'web' } },
      }),
    ).toThrow(
      'ApplicationLoadBalancer test/alb: name must be 1-32 lowercase letters, digits or "-", not starting "internal-" or ending with "-" (got "Payments_Web"); ' +
        'certificateArn must be an ACM certificate ARN (got "cert"); ' +
        `sslPolicy must be one of "ELBSecurityPolicy-TLS13-1-2-2021-06", "ELBSecurityPolicy-TLS13-1-2-Res-2021-06", "ELBSecurityPolicy-TLS13-1-2-Ext1-2021-06", "ELBSecurityPolicy-TLS13-1-2-Ext2-2021-06", "ELBSecurityPolicy-TLS13-1-3-2021-06", "ELBSecurityPolicy-TLS13-1-2-FIPS-2023-04", "ELBSecurityPolicy-TLS13-1-3-FIPS-2023-04", "ELBSecurityPolicy-TLS-1-2-2017-01", "ELBSecurityPolicy-TLS-1-2-Ext-2018-06", "ELBSecurityPolicy-FS-1-2-Res-2020-10" (got "ELBSecurityPolicy-2016-08"); ` +
        'ingressCidrs or ingressSecurityGroups must name at least one source (got none: nothing could reach the load balancer); ' +
        'targetGroups.web.port must be an integer between 1 and 65535 (got 70000); ' +
        'targetGroups.web.protocol must be one of "HTTP", "HTTPS" (got "TCP"); ' +
        'defaultTargetGroup must be a targetGroups key (have: web) (got "nope"); ' +
        'routes.b.priority 5 is already used by routes.a; ' +
        'routes.b needs pathPatterns or hostHeaders (got neither)',
    );
  });

  test('GIVEN a shared bucket and accessLogRetentionDays WHEN constructed THEN the conflict is reported', () => {
    const scope = stack();
    const bucket = new SecureBucket(scope, 'logs', { bucketPrefix: 'shared-logs-' });
    expect(
      () => new ApplicationLoadBalancer(scope, 'alb', alb({ accessLogs: { bucket, prefix: '/AWSLogs/' }, accessLogRetentionDays: 7 })),
    ).toThrow(
      'ApplicationLoadBalancer test/alb: accessLogs.prefix must be S3 key segments without leading/trailing "/" and not containing "AWSLogs" (got "/AWSLogs/"); ' +
        'accessLogRetentionDays applies only to the bucket the load balancer creates (got accessLogRetentionDays 7 with an accessLogs bucket; set retention on that bucket)',
    );
  });
});

describe('NetworkLoadBalancer', () => {
  test('GIVEN minimal props WHEN synthesized THEN it is internal, cross-zone, deletion-protected and logs to S3', () => {
    const out = Testing.synthScope((scope) => new NetworkLoadBalancer(scope, 'nlb', nlb()));
    expect(out).toHaveResourceWithProperties(Lb, {
      name: 'payments-internal',
      load_balancer_type: 'network',
      internal: true,
      enable_cross_zone_load_balancing: true,
      enable_deletion_protection: true,
      access_logs: expect.objectContaining({ enabled: true, prefix: 'payments-internal' }),
    });
  });

  test('GIVEN a listener with a certificate WHEN synthesized THEN it is TLS with the TLS 1.2+ policy and forwards to its target group', () => {
    const s = synthNlb();
    const listener = onlyResource(s, 'aws_lb_listener');
    expect(listener).toMatchObject({
      port: 443,
      protocol: 'TLS',
      ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
      certificate_arn: CERT,
    });
    expect((listener.default_action as { target_group_arn: string }[])[0]!.target_group_arn).toMatch(/aws_lb_target_group\..*\.arn/);
    expect(onlyResource(s, 'aws_lb_target_group')).toMatchObject({
      protocol: 'TCP',
      port: 8443,
      health_check: expect.objectContaining({ protocol: 'TCP' }),
    });
    expect(onlyResource(s, 'aws_lb_target_group').health_check).not.toHaveProperty('path');
  });

  test('GIVEN no accessLogs WHEN synthesized THEN the log-delivery service may write under the prefix and read the bucket ACL, from this account only', () => {
    const policy = bucketPolicy(synthNlb());
    const write = policy.Statement.find((st) => st.Sid === 'NlbAccessLogspaymentsinternalWrite') as unknown as Record<string, unknown>;
    const acl = policy.Statement.find((st) => st.Sid === 'NlbAccessLogspaymentsinternalAclCheck') as unknown as Record<string, unknown>;
    expect(write).toMatchObject({ Principal: { Service: ['delivery.logs.amazonaws.com'] }, Action: ['s3:PutObject'] });
    expect((write.Condition as Record<string, Record<string, string[]>>).StringEquals!['s3:x-amz-acl']).toEqual([
      'bucket-owner-full-control',
    ]);
    expect((write.Condition as Record<string, Record<string, string[]>>).StringEquals!['aws:SourceAccount']![0]).toMatch(
      /aws_caller_identity/,
    );
    expect(acl).toMatchObject({ Action: ['s3:GetBucketAcl'] });
  });

  test('GIVEN TCP and UDP listeners, security groups and internetFacing WHEN synthesized THEN each reaches the output', () => {
    const s = synthNlb({
      internetFacing: true,
      deletionProtection: false,
      securityGroupIds: ['sg-1'],
      listeners: { tcp: { port: 5432, targetGroup: 'db' }, dns: { port: 53, protocol: 'UDP', targetGroup: 'dns' } },
      targetGroups: {
        db: { port: 5432, healthCheck: { protocol: 'HTTP', path: '/status', port: 8080 } },
        dns: { port: 53, protocol: 'UDP', targetType: 'instance' },
      },
    });
    expect(onlyResource(s, 'aws_lb')).toMatchObject({ internal: false, enable_deletion_protection: false, security_groups: ['sg-1'] });
    // given groups are used as they are: no group of its own, AWS's default PrivateLink enforcement kept
    expect(resourcesOf(s, 'aws_security_group')).toEqual({});
    expect(onlyResource(s, 'aws_lb')).not.toHaveProperty('enforce_security_group_inbound_rules_on_private_link_traffic');
    expect(listeners(s).map((l) => [l.port, l.protocol, l.ssl_policy])).toEqual(
      expect.arrayContaining([
        [5432, 'TCP', undefined],
        [53, 'UDP', undefined],
      ]),
    );
    expect(listeners(s)).toHaveLength(2);
    const db = Object.values(resourcesOf(s, 'aws_lb_target_group')).find((g) => g.port === 5432)!;
    expect(db.health_check).toMatchObject({ protocol: 'HTTP', path: '/status', port: '8080' });
    expect(Object.values(resourcesOf(s, 'aws_lb_target_group')).find((g) => g.port === 53)).toMatchObject({
      protocol: 'UDP',
      target_type: 'instance',
    });
  });

  test('GIVEN no securityGroupIds WHEN synthesized THEN the NLB has its own group with no rule: only PrivateLink traffic gets in, nothing gets out', () => {
    const s = synthNlb();
    const [groupId] = Object.keys(resourcesOf(s, 'aws_security_group'));
    expect(onlyResource(s, 'aws_lb')).toMatchObject({
      security_groups: [`\${aws_security_group.${groupId}.id}`],
      enforce_security_group_inbound_rules_on_private_link_traffic: 'off',
    });
    expect(onlyResource(s, 'aws_security_group')).toMatchObject({ vpc_id: 'vpc-123' });
    expect(resourcesOf(s, 'aws_vpc_security_group_ingress_rule')).toEqual({});
    expect(resourcesOf(s, 'aws_vpc_security_group_egress_rule')).toEqual({});
  });

  test('GIVEN ingress and filterPrivateLinkTraffic WHEN synthesized THEN PrivateLink traffic is held to the ingress rules too', () => {
    const s = synthNlb({
      ingress: [{ name: 'office', description: 'office range', fromPort: 443, cidrIpv4: '10.20.0.0/16' }],
      filterPrivateLinkTraffic: true,
    });
    expect(onlyResource(s, 'aws_lb').enforce_security_group_inbound_rules_on_private_link_traffic).toBe('on');
    expect(onlyResource(s, 'aws_vpc_security_group_ingress_rule')).toMatchObject({
      from_port: 443,
      to_port: 443,
      cidr_ipv4: '10.20.0.0/16',
    });
  });

  test('GIVEN allowToTargets WHEN synthesized THEN the NLB may reach the targets on that port and the targets admit the NLB on it, and nothing else', () => {
    const s = synth((scope) => {
      const lb = new NetworkLoadBalancer(scope, 'nlb', nlb());
      const targets = new SecurityGroup(scope, 'api-tasks', { vpcId: 'vpc-123', description: 'api tasks' });
      lb.allowToTargets('api', targets, 8443);
    });
    const groups = Object.keys(resourcesOf(s, 'aws_security_group'));
    const [nlbGroup, taskGroup] = [groups.find((g) => g.startsWith('nlb_')), groups.find((g) => g.startsWith('api-tasks_'))];
    expect(onlyResource(s, 'aws_vpc_security_group_egress_rule')).toMatchObject({
      security_group_id: `\${aws_security_group.${nlbGroup}.id}`,
      referenced_security_group_id: `\${aws_security_group.${taskGroup}.id}`,
      from_port: 8443,
      to_port: 8443,
      ip_protocol: 'tcp',
    });
    expect(onlyResource(s, 'aws_vpc_security_group_ingress_rule')).toMatchObject({
      security_group_id: `\${aws_security_group.${taskGroup}.id}`,
      referenced_security_group_id: `\${aws_security_group.${nlbGroup}.id}`,
      from_port: 8443,
      to_port: 8443,
    });
  });

  test('GIVEN securityGroupIds WHEN allowToTargets is called THEN it throws naming the prop, having added no rule', () => {
    const scope = stack();
    const lb = new NetworkLoadBalancer(scope, 'nlb', nlb({ securityGroupIds: ['sg-1'] }));
    const targets = new SecurityGroup(scope, 'api-tasks', { vpcId: 'vpc-123', description: 'api tasks' });
    expect(() => lb.allowToTargets('api', targets, 8443)).toThrow(
      'NetworkLoadBalancer test/nlb: allowToTargets("api") needs the construct\'s own security group (securityGroupIds was given: add the rules to those groups)',
    );
    expect(targets.ingressRules).toEqual({});
  });

  test('GIVEN securityGroupIds that are empty, or with ingress and filterPrivateLinkTraffic WHEN constructed THEN one error names each prop', () => {
    expect(buildNlb({ securityGroupIds: [] })).toThrow(
      "NetworkLoadBalancer test/nlb: securityGroupIds must name at least one group, or be left out for the construct's own (got [])",
    );
    expect(
      buildNlb({
        securityGroupIds: ['sg-1'],
        ingress: [{ name: 'office', description: 'office range', fromPort: 443, cidrIpv4: '10.20.0.0/16' }],
        filterPrivateLinkTraffic: false,
      }),
    ).toThrow(
      "ingress and filterPrivateLinkTraffic apply to the construct's own security group only: leave out securityGroupIds, or set the rules on those groups",
    );
  });

  test('GIVEN bad listeners and target groups WHEN constructed THEN one error lists every problem', () => {
    expect(
      buildNlb({
        listeners: {
          a: { port: 443, protocol: 'TLS', targetGroup: 'api' },
          b: {
            port: 443,
            protocol: 'TCP',
            certificateArn: CERT,
            sslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06',
            targetGroup: 'missing',
          },
        },
        targetGroups: { api: { port: 8443, protocol: 'HTTP' } },
      }),
    ).toThrow(
      'NetworkLoadBalancer test/nlb: targetGroups.api.protocol must be one of "TCP", "TLS", "UDP", "TCP_UDP" (got "HTTP"); ' +
        'listeners.a uses TLS and needs a certificateArn (got none); ' +
        'listeners.b.port 443 is already used by listeners.a; ' +
        'listeners.b.targetGroup must be a targetGroups key (have: api) (got "missing"); ' +
        'listeners.b.certificateArn applies to TLS listeners only (got protocol "TCP"); ' +
        'listeners.b.sslPolicy applies to TLS listeners only (got protocol "TCP")',
    );
  });

  test('GIVEN no listeners WHEN constructed THEN the error says one is needed', () => {
    expect(buildNlb({ listeners: {} })).toThrow('listeners must name at least one listener (got none)');
  });
});
