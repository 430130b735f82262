import { Testing, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { WebAcl, type WebAclProps } from './web-acl.js';

type Resource = Record<string, unknown>;
interface Synth {
  resource: Record<string, Record<string, Resource>>;
}
type Rule = {
  name: string;
  priority: number;
  statement: Record<string, Record<string, unknown>>;
  override_action?: unknown;
  action?: unknown;
};
const only = (synth: Synth, type: string): Resource => {
  const all = Object.values(synth.resource[type] ?? {});
  if (all.length !== 1) throw new Error(`expected one ${type}, got ${all.length}`);
  return all[0];
};
const synthAcl = (props: Partial<WebAclProps> = {}, after?: (acl: WebAcl) => void): Synth =>
  JSON.parse(
    Testing.synthScope((scope) => {
      const acl = new WebAcl(scope, 'edge', { scope: 'CLOUDFRONT', ...props });
      after?.(acl);
    }),
  ) as Synth;
const rulesOf = (synth: Synth): Rule[] => only(synth, 'aws_wafv2_web_acl').rule as Rule[];

describe('WebAcl', () => {
  describe('GIVEN scope CLOUDFRONT and no other props', () => {
    const synth = synthAcl();

    test('WHEN synthesized THEN the ACL lives in us-east-1, allows by default and emits metrics', () => {
      expect(only(synth, 'aws_wafv2_web_acl')).toMatchObject({
        name: 'edge',
        scope: 'CLOUDFRONT',
        region: 'us-east-1',
        default_action: { allow: {} },
        visibility_config: { cloudwatch_metrics_enabled: true, sampled_requests_enabled: true, metric_name: 'edge' },
      });
    });

    test('WHEN synthesized THEN IP reputation, rate limit, Common and KnownBadInputs (Log4j, CKV_AWS_192) rules run in that order and enforce', () => {
      const rules = rulesOf(synth);
      expect(rules.map((r) => [r.name, r.priority])).toEqual([
        ['AWSManagedRulesAmazonIpReputationList', 10],
        ['rate-limit-per-ip', 20],
        ['AWSManagedRulesCommonRuleSet', 30],
        ['AWSManagedRulesKnownBadInputsRuleSet', 40],
      ]);
      const badInputs = rules.find((r) => r.name === 'AWSManagedRulesKnownBadInputsRuleSet')!;
      expect(badInputs.statement).toEqual({
        managed_rule_group_statement: { vendor_name: 'AWS', name: 'AWSManagedRulesKnownBadInputsRuleSet' },
      });
      expect(badInputs.override_action).toEqual({ none: {} });
      expect(rules.find((r) => r.name === 'rate-limit-per-ip')).toMatchObject({
        action: { block: {} },
        statement: { rate_based_statement: { limit: 2000, aggregate_key_type: 'IP', evaluation_window_sec: 300 } },
      });
    });

    test('WHEN synthesized THEN requests are logged to an aws-waf-logs- group in us-east-1 with credentials redacted', () => {
      expect(only(synth, 'aws_cloudwatch_log_group')).toEqual({ name: 'aws-waf-logs-edge', retention_in_days: 365, region: 'us-east-1' });
      expect(only(synth, 'aws_wafv2_web_acl_logging_configuration')).toEqual({
        region: 'us-east-1',
        resource_arn: expect.stringContaining('aws_wafv2_web_acl.edge_web-acl'),
        log_destination_configs: [expect.stringContaining('aws_cloudwatch_log_group.edge_logs_log-group')],
        redacted_fields: [{ single_header: { name: 'authorization' } }, { single_header: { name: 'cookie' } }],
      });
    });
  });

  test('GIVEN rate limit, window, SQLi and count overrides WHEN synthesized THEN the rules follow them', () => {
    const rules = rulesOf(
      synthAcl({ rateLimit: 500, rateLimitWindowSeconds: 60, sqlInjectionRules: true, commonRuleSetCountRules: ['SizeRestrictions_BODY'] }),
    );
    expect(rules.find((r) => r.name === 'rate-limit-per-ip')!.statement.rate_based_statement).toMatchObject({
      limit: 500,
      evaluation_window_sec: 60,
    });
    expect(rules.at(-1)).toMatchObject({ name: 'AWSManagedRulesSQLiRuleSet', priority: 50 });
    expect(
      rules.find((r) => r.name === 'AWSManagedRulesCommonRuleSet')!.statement.managed_rule_group_statement.rule_action_override,
    ).toEqual([{ name: 'SizeRestrictions_BODY', action_to_use: { count: {} } }]);
  });

  test('GIVEN logging false or an existing destination WHEN synthesized THEN no log group is created', () => {
    const off = synthAcl({ logging: false });
    expect(off.resource.aws_wafv2_web_acl_logging_configuration).toBeUndefined();
    expect(off.resource.aws_cloudwatch_log_group).toBeUndefined();
    const destinationArn = 'arn:aws:s3:::aws-waf-logs-central';
    const external = synthAcl({ logging: { destinationArn } });
    expect(external.resource.aws_cloudwatch_log_group).toBeUndefined();
    expect(only(external, 'aws_wafv2_web_acl_logging_configuration').log_destination_configs).toEqual([destinationArn]);
    expect(only(synthAcl({ logging: { retentionInDays: 30 } }), 'aws_cloudwatch_log_group').retention_in_days).toBe(30);
  });

  test('GIVEN scope REGIONAL and associations WHEN synthesized THEN the ACL uses the default provider region and protects each resource by name', () => {
    const synth = synthAcl({ scope: 'REGIONAL', name: 'api' }, (acl) => {
      acl.associate('alb', 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/1');
      expect(() => acl.associate('alb', 'arn:other')).toThrow('WebAcl stack/edge: association "alb" exists already');
    });
    expect(only(synth, 'aws_wafv2_web_acl')).not.toHaveProperty('region');
    expect(only(synth, 'aws_cloudwatch_log_group')).toEqual({ name: 'aws-waf-logs-api', retention_in_days: 365 });
    expect(only(synth, 'aws_wafv2_web_acl_association')).toEqual({
      resource_arn: 'arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/web/1',
      web_acl_arn: expect.stringContaining('aws_wafv2_web_acl.edge_web-acl'),
    });
  });

  test('GIVEN a CLOUDFRONT ACL WHEN associate is called THEN it is refused with the reason', () => {
    synthAcl({}, (acl) => {
      expect(() => acl.associate('alb', 'arn:x')).toThrow(
        'associate("alb") needs scope "REGIONAL" (got "CLOUDFRONT"; give the ACL arn to the distribution instead)',
      );
    });
  });

  test('GIVEN a us-east-1 provider WHEN synthesized THEN ACL, log group and logging use it; a provider in another region is refused', () => {
    const stack = new TerraformStack(Testing.app(), 'edge');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    const usEast1 = new AwsProvider(stack, 'use1', { region: 'us-east-1', alias: 'use1' });
    const euWest1 = new AwsProvider(stack, 'euw1', { region: 'eu-west-1', alias: 'euw1' });
    new WebAcl(stack, 'acl', { scope: 'CLOUDFRONT', provider: usEast1 });
    const synth = JSON.parse(Testing.synth(stack)) as Synth;
    for (const type of ['aws_wafv2_web_acl', 'aws_cloudwatch_log_group', 'aws_wafv2_web_acl_logging_configuration']) {
      expect(only(synth, type)).toMatchObject({ provider: 'aws.use1' });
      expect(only(synth, type)).not.toHaveProperty('region');
    }
    expect(() => new WebAcl(stack, 'wrong', { scope: 'CLOUDFRONT', provider: euWest1 })).toThrow(
      'WebAcl edge/wrong: provider must be configured for us-east-1, where CloudFront looks for certificates and web ACLs (got "eu-west-1")',
    );
  });

  test('GIVEN many bad props WHEN constructed THEN one error lists every problem with the value and what is allowed', () => {
    expect(() =>
      synthAcl({
        scope: 'GLOBAL' as never,
        rateLimit: 5,
        rateLimitWindowSeconds: 30 as never,
        name: 'my acl',
        commonRuleSetCountRules: ['bad rule'],
        logging: { destinationArn: 'arn:aws:logs:us-east-1:123456789012:log-group:app', retentionInDays: 30 },
      }),
    ).toThrow(
      [
        'WebAcl stack/edge: scope must be one of "CLOUDFRONT", "REGIONAL" (got "GLOBAL")',
        'rateLimit must be an integer between 10 and 2000000000 (got 5)',
        'rateLimitWindowSeconds must be one of 60, 120, 300, 600 (got 30)',
        'name must be 1-128 letters, digits, "_" or "-" (got "my acl")',
        'commonRuleSetCountRules entry must be a rule name like "SizeRestrictions_BODY" (got "bad rule")',
        'logging.destinationArn must be an ARN of a log group, bucket or Firehose stream named "aws-waf-logs-..." (got "arn:aws:logs:us-east-1:123456789012:log-group:app")',
        'logging.retentionInDays applies to the log group this construct creates; drop it or drop logging.destinationArn',
      ].join('; '),
    );
  });
});
