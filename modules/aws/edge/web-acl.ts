// A WAFv2 web ACL with AWS managed rule groups (IP reputation, Common, KnownBadInputs — which
// carries the Log4j rules — and optionally SQLi), a per-IP rate limit, and logging with the
// Authorization and Cookie headers redacted.
import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { Wafv2WebAcl, type Wafv2WebAclRule } from '@cdktf/provider-aws/lib/wafv2-web-acl/index.js';
import { Wafv2WebAclAssociation } from '@cdktf/provider-aws/lib/wafv2-web-acl-association/index.js';
import { Wafv2WebAclLoggingConfiguration } from '@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration/index.js';
import { PropProblems } from '../../core/validation.js';
import { LOG_RETENTION_DAYS, LogGroup } from '../observability/log-group.js';
import { checkUsEast1Provider, inUsEast1 } from './us-east-1.js';

export type WebAclScope = 'CLOUDFRONT' | 'REGIONAL';

export interface WebAclLoggingOptions {
  /** A CloudWatch log group, S3 bucket or Firehose ARN whose name starts with `aws-waf-logs-`. @default a new log group `aws-waf-logs-<name>` */
  readonly destinationArn?: string;
  /** Retention of the new log group. @default 365 */
  readonly retentionInDays?: number;
}

export interface WebAclProps {
  /** `CLOUDFRONT` for distributions (the ACL lives in us-east-1) or `REGIONAL` for ALBs and API Gateway stages. */
  readonly scope: WebAclScope;
  /** Requests one IP may send per evaluation window before it is blocked (10 to 2,000,000,000). @default 2000 */
  readonly rateLimit?: number;
  /** @default 300 */
  readonly rateLimitWindowSeconds?: 60 | 120 | 300 | 600;
  /** Add the AWSManagedRulesSQLiRuleSet group. @default false */
  readonly sqlInjectionRules?: boolean;
  /** Rules of AWSManagedRulesCommonRuleSet to count instead of block (e.g. `SizeRestrictions_BODY` for uploads). @default none */
  readonly commonRuleSetCountRules?: readonly string[];
  /** `false` turns logging off. @default logs to a new CloudWatch log group kept 365 days */
  readonly logging?: false | WebAclLoggingOptions;
  /** CLOUDFRONT scope: the us-east-1 aliased AwsProvider. @default resources set `region = "us-east-1"` (CLOUDFRONT) or use the scope's provider (REGIONAL) */
  readonly provider?: TerraformProvider;
  /** Name of the ACL, its metrics and its log group. @default the construct id */
  readonly name?: string;
}

export const MANAGED_RULE_GROUPS = {
  ipReputation: 'AWSManagedRulesAmazonIpReputationList',
  common: 'AWSManagedRulesCommonRuleSet',
  knownBadInputs: 'AWSManagedRulesKnownBadInputsRuleSet',
  sqlInjection: 'AWSManagedRulesSQLiRuleSet',
} as const;
export const RATE_LIMIT_RULE = 'rate-limit-per-ip';

export class WebAcl extends Construct {
  public readonly webAcl: Wafv2WebAcl;
  public readonly arn: string;
  public readonly scope: WebAclScope;
  /** Set when logging goes to a log group this construct created. */
  public readonly logGroup?: LogGroup;
  public readonly associations: Record<string, Wafv2WebAclAssociation> = {};
  private readonly placement: { provider?: TerraformProvider; region?: string };

  constructor(scope: Construct, id: string, props: WebAclProps) {
    super(scope, id);
    const name = props.name ?? id;
    validate(this, props, name);
    this.scope = props.scope;
    this.placement = props.scope === 'CLOUDFRONT' ? inUsEast1(props.provider) : { provider: props.provider };

    this.webAcl = new Wafv2WebAcl(this, 'web-acl', {
      ...this.placement,
      name,
      description: `Managed rule groups and a per-IP rate limit for ${name}`,
      scope: props.scope,
      defaultAction: { allow: {} },
      rule: rules(props),
      visibilityConfig: visibility(name),
    });
    this.arn = this.webAcl.arn;

    if (props.logging !== false) {
      let destination = props.logging?.destinationArn;
      if (destination === undefined) {
        this.logGroup = new LogGroup(this, 'logs', {
          name: `aws-waf-logs-${name}`,
          retentionInDays: props.logging?.retentionInDays ?? 365,
        });
        // LogGroup takes no provider: place it next to the ACL (WAF only logs to its own region).
        if (this.placement.provider) this.logGroup.logGroup.provider = this.placement.provider;
        if (this.placement.region) this.logGroup.logGroup.region = this.placement.region;
        destination = this.logGroup.arn;
      }
      new Wafv2WebAclLoggingConfiguration(this, 'logging', {
        ...this.placement,
        resourceArn: this.webAcl.arn,
        logDestinationConfigs: [destination],
        redactedFields: [{ singleHeader: { name: 'authorization' } }, { singleHeader: { name: 'cookie' } }],
      });
    }
  }

  /** Protects a regional resource (ALB, API Gateway stage, AppSync, Cognito). Distributions take `arn` as their web ACL instead. */
  associate(name: string, resourceArn: string): Wafv2WebAclAssociation {
    const p = new PropProblems(this, 'WebAcl');
    p.check(
      this.scope === 'REGIONAL',
      `associate(${JSON.stringify(name)}) needs scope "REGIONAL" (got "CLOUDFRONT"; give the ACL arn to the distribution instead)`,
    );
    p.matches('association name', name, /^[A-Za-z0-9._-]{1,64}$/, '1-64 letters, digits, ".", "_" or "-"');
    p.check(this.associations[name] === undefined, `association ${JSON.stringify(name)} exists already`);
    p.throwIfAny();
    this.associations[name] = new Wafv2WebAclAssociation(this, `association-${name}`, {
      ...this.placement,
      resourceArn,
      webAclArn: this.webAcl.arn,
    });
    return this.associations[name];
  }
}

function visibility(metricName: string) {
  return { cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName };
}

function managedGroup(name: string, priority: number, countRules: readonly string[] = []): Wafv2WebAclRule {
  return {
    name,
    priority,
    overrideAction: { none: {} },
    statement: {
      managed_rule_group_statement: {
        vendor_name: 'AWS',
        name,
        ...(countRules.length > 0
          ? { rule_action_override: countRules.map((rule) => ({ name: rule, action_to_use: { count: {} } })) }
          : {}),
      },
    },
    visibilityConfig: visibility(name),
  };
}

function rules(props: WebAclProps): Wafv2WebAclRule[] {
  const result = [
    managedGroup(MANAGED_RULE_GROUPS.ipReputation, 10),
    {
      name: RATE_LIMIT_RULE,
      priority: 20,
      action: { block: {} },
      statement: {
        rate_based_statement: {
          limit: props.rateLimit ?? 2000,
          aggregate_key_type: 'IP',
          evaluation_window_sec: props.rateLimitWindowSeconds ?? 300,
        },
      },
      visibilityConfig: visibility(RATE_LIMIT_RULE),
    },
    managedGroup(MANAGED_RULE_GROUPS.common, 30, props.commonRuleSetCountRules),
    managedGroup(MANAGED_RULE_GROUPS.knownBadInputs, 40),
  ];
  if (props.sqlInjectionRules === true) result.push(managedGroup(MANAGED_RULE_GROUPS.sqlInjection, 50));
  return result;
}

function validate(construct: Construct, props: WebAclProps, name: string): void {
  const p = new PropProblems(construct, 'WebAcl');
  p.oneOf('scope', props.scope, ['CLOUDFRONT', 'REGIONAL'] as const);
  p.range('rateLimit', props.rateLimit, 10, 2_000_000_000);
  p.oneOf('rateLimitWindowSeconds', props.rateLimitWindowSeconds, [60, 120, 300, 600] as const);
  // Leaves room for the `aws-waf-logs-` prefix within the 512-character log group name.
  p.matches('name', name, /^[A-Za-z0-9_-]{1,128}$/, '1-128 letters, digits, "_" or "-"');
  for (const rule of props.commonRuleSetCountRules ?? [])
    p.matches('commonRuleSetCountRules entry', rule, /^[A-Za-z0-9_]{1,128}$/, 'a rule name like "SizeRestrictions_BODY"');
  if (props.logging) {
    p.matches(
      'logging.destinationArn',
      props.logging.destinationArn,
      /^arn:aws[a-z-]*:(logs|s3|firehose):.*aws-waf-logs-/,
      'an ARN of a log group, bucket or Firehose stream named "aws-waf-logs-..."',
    );
    if (props.logging.retentionInDays !== undefined)
      p.oneOf('logging.retentionInDays', props.logging.retentionInDays, LOG_RETENTION_DAYS as readonly number[]);
    p.check(
      props.logging.destinationArn === undefined || props.logging.retentionInDays === undefined,
      'logging.retentionInDays applies to the log group this construct creates; drop it or drop logging.destinationArn',
    );
  }
  if (props.scope === 'CLOUDFRONT') checkUsEast1Provider(p, 'provider', props.provider);
  p.throwIfAny();
}
