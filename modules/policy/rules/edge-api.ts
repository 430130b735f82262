import type { PolicyRule } from '../types.js';
import { asList, expectThat, get, isTrue, rule, show } from './helpers.js';

const CF = ['aws_cloudfront_distribution'];
const TLS12 = /^TLSv1\.2_20(18|19|21|25)$|^TLSv1\.3/;

export const edgeApiRules: PolicyRule[] = [
  rule({
    id: 'CKV_AWS_34',
    title: 'CloudFront viewers use HTTPS',
    severity: 'high',
    resourceTypes: CF,
    remediation: 'Set viewer_protocol_policy to redirect-to-https or https-only on every cache behavior.',
    check: (d) => {
      const behaviors = [get(d.config, 'default_cache_behavior'), ...asList(d.config.ordered_cache_behavior)];
      const bad = behaviors.map((b) => get(b, 'viewer_protocol_policy')).filter((p) => p !== 'redirect-to-https' && p !== 'https-only');
      return expectThat(bad.length === 0, `viewer_protocol_policy ${bad.map(show).join(', ')} allows plain HTTP`);
    },
  }),
  rule({
    id: 'CKV_AWS_174',
    title: 'CloudFront uses TLS 1.2+ with a real certificate',
    severity: 'high',
    resourceTypes: CF,
    remediation: 'Give the distribution an ACM certificate (us-east-1) with minimum_protocol_version TLSv1.2_2021.',
    check: (d) => {
      const cert = get(d.config, 'viewer_certificate');
      if (isTrue(get(cert, 'cloudfront_default_certificate'))) return 'uses the default CloudFront certificate (TLS 1.0 allowed)';
      const min = get(cert, 'minimum_protocol_version');
      return expectThat(typeof min === 'string' && TLS12.test(min), `minimum_protocol_version is ${show(min)}`);
    },
  }),
  rule({
    id: 'CKV_AWS_68',
    title: 'CloudFront has a WAF web ACL',
    severity: 'medium',
    resourceTypes: CF,
    remediation: 'Attach a WAFv2 web ACL (scope CLOUDFRONT) with web_acl_id.',
    check: (d) => expectThat(typeof d.config.web_acl_id === 'string' && d.config.web_acl_id !== '', 'web_acl_id is not set'),
  }),
  rule({
    id: 'CKV_AWS_86',
    title: 'CloudFront access logging is on',
    severity: 'low',
    resourceTypes: CF,
    remediation: 'Set logging_config with a log bucket.',
    check: (d) => expectThat(get(d.config, 'logging_config.bucket') !== undefined, 'logging_config is not set'),
  }),
  rule({
    id: 'GITOPS_CF_S3_OAC',
    title: 'CloudFront S3 origins use origin access control',
    severity: 'high',
    resourceTypes: CF,
    remediation: 'Set origin_access_control_id on S3 origins (not an origin access identity, not a public website endpoint).',
    check: (d) => {
      const s3 = asList(d.config.origin).filter((o) => /s3|bucket_regional_domain_name/.test(String(get(o, 'domain_name'))));
      const bad = s3.filter((o) => get(o, 'origin_access_control_id') === undefined).map((o) => String(get(o, 'origin_id')));
      return expectThat(bad.length === 0, `S3 origin(s) ${bad.join(', ')} have no origin_access_control_id`);
    },
  }),
  rule({
    id: 'CKV_AWS_192',
    title: 'WAF web ACL blocks Log4j exploits (KnownBadInputs)',
    severity: 'high',
    resourceTypes: ['aws_wafv2_web_acl'],
    remediation: 'Add the AWS managed rule group AWSManagedRulesKnownBadInputsRuleSet (WebAcl does).',
    check: (acl) => {
      const groups = asList(acl.config.rule).map((r) => get(r, 'statement.managed_rule_group_statement.name'));
      return expectThat(
        groups.includes('AWSManagedRulesKnownBadInputsRuleSet'),
        'AWSManagedRulesKnownBadInputsRuleSet is not in the web ACL',
      );
    },
  }),
  rule({
    id: 'CKV_AWS_76',
    title: 'API Gateway stage has access logging',
    severity: 'medium',
    resourceTypes: ['aws_api_gateway_stage', 'aws_apigatewayv2_stage'],
    remediation: 'Set access_log_settings with a log group ARN and a JSON format.',
    check: (s) => expectThat(get(s.config, 'access_log_settings.destination_arn') !== undefined, 'access_log_settings is not set'),
  }),
  rule({
    id: 'CKV_AWS_73',
    title: 'API Gateway stage has X-Ray tracing',
    severity: 'low',
    resourceTypes: ['aws_api_gateway_stage'],
    remediation: 'Set xray_tracing_enabled = true.',
    check: (s) => expectThat(isTrue(s.config.xray_tracing_enabled), `xray_tracing_enabled is ${show(s.config.xray_tracing_enabled)}`),
  }),
  rule({
    id: 'CKV2_AWS_70',
    title: 'Every API Gateway method is authorized',
    severity: 'high',
    resourceTypes: ['aws_api_gateway_method'],
    remediation: 'Give the method a Lambda or Cognito authorizer (RestApi does unless allowUnauthenticated is set).',
    check: (m) =>
      expectThat(
        String(m.config.authorization ?? 'NONE') !== 'NONE' || m.config.http_method === 'OPTIONS',
        `authorization is ${show(m.config.authorization)}`,
      ),
  }),
  rule({
    id: 'CKV_AWS_309',
    title: 'Every API Gateway v2 route is authorized',
    severity: 'high',
    resourceTypes: ['aws_apigatewayv2_route'],
    remediation: 'Set authorization_type JWT, CUSTOM or AWS_IAM on the route.',
    check: (r) =>
      expectThat(String(r.config.authorization_type ?? 'NONE') !== 'NONE', `authorization_type is ${show(r.config.authorization_type)}`),
  }),
];
