// The WAF policy in front of a Front Door endpoint: managed rule sets plus a per-client rate limit.
import { Construct } from 'constructs';
import {
  CdnFrontdoorFirewallPolicy,
  type CdnFrontdoorFirewallPolicyManagedRule,
} from '@cdktf/provider-azurerm/lib/cdn-frontdoor-firewall-policy/index.js';

export interface FrontDoorWafOptions {
  /** `Detection` only logs; use it while tuning exclusions. @default 'Prevention' */
  readonly mode?: 'Prevention' | 'Detection';
  /**
   * Microsoft_DefaultRuleSet 2.1 and Microsoft_BotManagerRuleSet 1.1, blocking. They need the Premium
   * sku; `false` (custom rules only) is the explicit choice for Standard. @default true
   */
  readonly managedRules?: boolean;
  /** Requests one client IP may send per window before it is blocked. @default 1000 */
  readonly rateLimitThreshold?: number;
  /** @default 1 */
  readonly rateLimitDurationInMinutes?: 1 | 5;
}

export interface FrontDoorWafProps extends FrontDoorWafOptions {
  readonly resourceGroupName: string;
  /** Letters and digits only, starting with a letter. */
  readonly name: string;
  readonly sku: 'Standard_AzureFrontDoor' | 'Premium_AzureFrontDoor';
}

export const MANAGED_RULE_SETS: readonly CdnFrontdoorFirewallPolicyManagedRule[] = [
  { type: 'Microsoft_DefaultRuleSet', version: '2.1', action: 'Block' },
  { type: 'Microsoft_BotManagerRuleSet', version: '1.1', action: 'Block' },
];

export class FrontDoorWaf extends Construct {
  public readonly policy: CdnFrontdoorFirewallPolicy;
  public readonly id: string;

  constructor(scope: Construct, id: string, props: FrontDoorWafProps) {
    super(scope, id);
    this.policy = new CdnFrontdoorFirewallPolicy(this, 'policy', {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      skuName: props.sku,
      enabled: true,
      mode: props.mode ?? 'Prevention',
      requestBodyCheckEnabled: true,
      managedRule: props.managedRules === false ? undefined : [...MANAGED_RULE_SETS],
      customRule: [
        {
          name: 'RateLimitPerClientIp',
          type: 'RateLimitRule',
          action: 'Block',
          enabled: true,
          priority: 100,
          rateLimitThreshold: props.rateLimitThreshold ?? 1000,
          rateLimitDurationInMinutes: props.rateLimitDurationInMinutes ?? 1,
          // Every client: a source that no request carries, negated (the `Any` operator is not accepted here).
          matchCondition: [
            { matchVariable: 'RemoteAddr', operator: 'IPMatch', negationCondition: true, matchValues: ['255.255.255.255/32'] },
          ],
        },
      ],
    });
    this.id = this.policy.id;
  }
}
