import { Testing } from 'cdktf';
import { CdnFrontdoorRoute } from '@cdktf/provider-azurerm/lib/cdn-frontdoor-route/index.js';
import { errorOf, onlyResource, policyFailures, resourcesOf, stack, synth } from '../../../test/modules/azure-synth.js';
import { FrontDoor, type FrontDoorProps } from './front-door.js';
import { MANAGED_RULE_SETS } from './front-door-waf.js';

const APP_ID = '/subscriptions/0000/resourceGroups/rg/providers/Microsoft.Web/sites/commerce-payments';
const BASE: FrontDoorProps = {
  resourceGroupName: 'rg-commerce',
  name: 'commerce-fd',
  origins: {
    payments: {
      hostName: 'commerce-payments.azurewebsites.net',
      privateLink: { targetId: APP_ID, location: 'westeurope', targetType: 'sites' },
    },
  },
};
const build = (props: Partial<FrontDoorProps> = {}) => synth((scope) => new FrontDoor(scope, 'fd', { ...BASE, ...props }));

describe('FrontDoor', () => {
  test('GIVEN one origin WHEN synthesized THEN a Premium profile routes /* to it over HTTPS only, redirecting HTTP', () => {
    const out = Testing.synthScope((scope) => new FrontDoor(scope, 'fd', BASE));
    expect(out).toHaveResourceWithProperties(CdnFrontdoorRoute, {
      name: 'commerce-fd-route',
      patterns_to_match: ['/*'],
      supported_protocols: ['Http', 'Https'],
      https_redirect_enabled: true,
      forwarding_protocol: 'HttpsOnly',
      link_to_default_domain: true,
    });
    const s = JSON.parse(out);
    expect(onlyResource(s, 'azurerm_cdn_frontdoor_profile')).toMatchObject({
      name: 'commerce-fd',
      sku_name: 'Premium_AzureFrontDoor',
      response_timeout_seconds: 60,
    });
    expect(onlyResource(s, 'azurerm_cdn_frontdoor_origin_group')).toMatchObject({
      session_affinity_enabled: false,
      health_probe: { protocol: 'Https', request_type: 'HEAD', path: '/', interval_in_seconds: 100 },
    });
  });

  test('GIVEN a private-link origin WHEN synthesized THEN Front Door reaches the app over Private Link and checks its certificate name', () => {
    expect(onlyResource(build(), 'azurerm_cdn_frontdoor_origin')).toMatchObject({
      name: 'payments',
      host_name: 'commerce-payments.azurewebsites.net',
      origin_host_header: 'commerce-payments.azurewebsites.net',
      certificate_name_check_enabled: true,
      https_port: 443,
      private_link: {
        private_link_target_id: APP_ID,
        location: 'westeurope',
        target_type: 'sites',
        request_message: 'Front Door commerce-fd',
      },
    });
  });

  test('GIVEN defaults WHEN synthesized THEN the WAF blocks with the managed rule sets and rate-limits every client IP, attached to the endpoint', () => {
    const s = build();
    const waf = onlyResource(s, 'azurerm_cdn_frontdoor_firewall_policy');
    expect(waf).toMatchObject({
      name: 'commercefdwaf',
      sku_name: 'Premium_AzureFrontDoor',
      mode: 'Prevention',
      enabled: true,
      request_body_check_enabled: true,
    });
    expect(waf.managed_rule).toEqual(MANAGED_RULE_SETS.map((r) => ({ type: r.type, version: r.version, action: r.action })));
    expect(waf.custom_rule).toEqual([
      {
        name: 'RateLimitPerClientIp',
        type: 'RateLimitRule',
        action: 'Block',
        enabled: true,
        priority: 100,
        rate_limit_threshold: 1000,
        rate_limit_duration_in_minutes: 1,
        match_condition: [
          { match_variable: 'RemoteAddr', operator: 'IPMatch', negation_condition: true, match_values: ['255.255.255.255/32'] },
        ],
      },
    ]);
    const policy = onlyResource(s, 'azurerm_cdn_frontdoor_security_policy');
    expect(JSON.stringify(policy.security_policies)).toMatch(/azurerm_cdn_frontdoor_endpoint\.fd_endpoint_[0-9A-F]{8}\.id/);
  });

  test('GIVEN a custom domain WHEN synthesized THEN it has a managed certificate with TLS 1.2, joins the route and the WAF', () => {
    const s = build({ customDomains: { shop: 'shop.example.com' } });
    expect(onlyResource(s, 'azurerm_cdn_frontdoor_custom_domain')).toMatchObject({
      name: 'shop',
      host_name: 'shop.example.com',
      tls: { certificate_type: 'ManagedCertificate', minimum_tls_version: 'TLS12' },
    });
    expect(onlyResource(s, 'azurerm_cdn_frontdoor_route').cdn_frontdoor_custom_domain_ids).toEqual([
      expect.stringMatching(/azurerm_cdn_frontdoor_custom_domain\.fd_domain-shop_/),
    ]);
    expect(Object.keys(resourcesOf(s, 'azurerm_cdn_frontdoor_custom_domain_association'))).toHaveLength(1);
    expect(JSON.stringify(onlyResource(s, 'azurerm_cdn_frontdoor_security_policy'))).toMatch(/fd_domain-shop_/);
  });

  test('GIVEN Standard with custom rules only, a tuned WAF and logs WHEN synthesized THEN no managed rules and logs go to the workspace', () => {
    const s = build({
      sku: 'Standard_AzureFrontDoor',
      origins: { web: { hostName: 'web.example.com' } },
      waf: { managedRules: false, mode: 'Detection', rateLimitThreshold: 300, rateLimitDurationInMinutes: 5 },
      logWorkspaceId: 'w',
    });
    const waf = onlyResource(s, 'azurerm_cdn_frontdoor_firewall_policy');
    expect(waf).toMatchObject({ sku_name: 'Standard_AzureFrontDoor', mode: 'Detection' });
    expect(waf.managed_rule).toBeUndefined();
    expect(waf.custom_rule).toEqual([expect.objectContaining({ rate_limit_threshold: 300, rate_limit_duration_in_minutes: 5 })]);
    expect(onlyResource(s, 'azurerm_monitor_diagnostic_setting')).toMatchObject({
      log_analytics_workspace_id: 'w',
      enabled_log: [{ category_group: 'allLogs' }],
    });
  });

  test('GIVEN Standard without the explicit WAF choice, and private links WHEN constructed THEN each Premium-only feature is named', () => {
    expect(errorOf(() => build({ sku: 'Standard_AzureFrontDoor' }))).toBe(
      'FrontDoor stack/fd: origins.payments.privateLink needs sku "Premium_AzureFrontDoor" (got "Standard_AzureFrontDoor"); sku "Standard_AzureFrontDoor" cannot run managed WAF rule sets: use "Premium_AzureFrontDoor", or set waf.managedRules: false to accept custom rules only',
    );
  });

  test('GIVEN bad props WHEN constructed THEN one error lists every problem', () => {
    const message = errorOf(
      () =>
        new FrontDoor(stack(), 'fd', {
          resourceGroupName: 'rg',
          name: '-fd',
          sku: 'Classic' as never,
          origins: {
            'bad origin': {
              hostName: 'not a host',
              priority: 6,
              weight: 0,
              privateLink: { targetId: 't', location: 'x', targetType: 'vm' as never },
            },
          },
          healthProbePath: 'health',
          patternsToMatch: ['api/*'],
          customDomains: { shop: 'Shop.Example' },
          waf: { mode: 'Block' as never, rateLimitThreshold: 1, rateLimitDurationInMinutes: 2 as never },
        }),
    );
    for (const expected of [
      'name must be 1-46 letters, digits or hyphens, not starting or ending with a hyphen (got "-fd")',
      'sku must be one of "Premium_AzureFrontDoor", "Standard_AzureFrontDoor" (got "Classic")',
      'origins.bad origin name must be 2-90 letters, digits or hyphens (got "bad origin")',
      'origins.bad origin.hostName must be a DNS name such as app.azurewebsites.net (got "not a host")',
      'origins.bad origin.priority must be an integer between 1 and 5 (got 6)',
      'origins.bad origin.weight must be an integer between 1 and 1000 (got 0)',
      'origins.bad origin.privateLink.targetType must be one of "sites", "blob"',
      'healthProbePath must be an absolute path such as /api/health (got "health")',
      'patternsToMatch must be paths starting with / such as /api/* (got "api/*")',
      'customDomains.shop must be a DNS name such as shop.example.com (got "Shop.Example")',
      'waf.mode must be one of "Prevention", "Detection" (got "Block")',
      'waf.rateLimitThreshold must be an integer between 10 and 5000000 (got 1)',
      'waf.rateLimitDurationInMinutes must be one of 1, 5 (got 2)',
    ]) {
      expect(message).toContain(expected);
    }
    expect(errorOf(() => build({ origins: {} }))).toContain('origins must name at least one origin (got {})');
  });

  test('GIVEN the defaults WHEN the policy gate runs THEN nothing fails', () => {
    expect(policyFailures(build())).toEqual([]);
  });
});
