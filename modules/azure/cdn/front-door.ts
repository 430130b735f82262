// Azure Front Door Standard/Premium: one endpoint, one origin group, origins keyed by name (over
// Private Link where possible), HTTPS only, behind a WAF policy.
import { Construct } from 'constructs';
import { CdnFrontdoorCustomDomain } from '@cdktf/provider-azurerm/lib/cdn-frontdoor-custom-domain/index.js';
import { CdnFrontdoorCustomDomainAssociation } from '@cdktf/provider-azurerm/lib/cdn-frontdoor-custom-domain-association/index.js';
import { CdnFrontdoorEndpoint } from '@cdktf/provider-azurerm/lib/cdn-frontdoor-endpoint/index.js';
import { CdnFrontdoorOrigin } from '@cdktf/provider-azurerm/lib/cdn-frontdoor-origin/index.js';
import { CdnFrontdoorOriginGroup } from '@cdktf/provider-azurerm/lib/cdn-frontdoor-origin-group/index.js';
import { CdnFrontdoorProfile } from '@cdktf/provider-azurerm/lib/cdn-frontdoor-profile/index.js';
import { CdnFrontdoorRoute } from '@cdktf/provider-azurerm/lib/cdn-frontdoor-route/index.js';
import { CdnFrontdoorSecurityPolicy } from '@cdktf/provider-azurerm/lib/cdn-frontdoor-security-policy/index.js';
import { DiagnosticSetting } from '../observability/diagnostic-setting.js';
import { FrontDoorWaf } from './front-door-waf.js';
import type { FrontDoorProps } from './front-door-props.js';
import { validateFrontDoor } from './front-door-validation.js';

export { FRONT_DOOR_SKUS, PRIVATE_LINK_TARGET_TYPES } from './front-door-props.js';
export type { FrontDoorOrigin, FrontDoorProps, FrontDoorSku } from './front-door-props.js';

export class FrontDoor extends Construct {
  public readonly profile: CdnFrontdoorProfile;
  public readonly endpoint: CdnFrontdoorEndpoint;
  /** `<endpoint>-<hash>.z01.azurefd.net` */
  public readonly hostName: string;
  public readonly waf: FrontDoorWaf;
  public readonly origins: Readonly<Record<string, CdnFrontdoorOrigin>>;
  /** Custom domains keyed by name: each one's `validationToken` goes into a `_dnsauth.<host>` TXT record. */
  public readonly customDomains: Readonly<Record<string, CdnFrontdoorCustomDomain>>;

  constructor(scope: Construct, id: string, props: FrontDoorProps) {
    super(scope, id);
    const sku = props.sku ?? 'Premium_AzureFrontDoor';
    validateFrontDoor(this, props, sku);
    const rg = props.resourceGroupName;

    this.profile = new CdnFrontdoorProfile(this, 'profile', {
      name: props.name,
      resourceGroupName: rg,
      skuName: sku,
      responseTimeoutSeconds: 60,
    });
    this.endpoint = new CdnFrontdoorEndpoint(this, 'endpoint', {
      name: `${props.name}-endpoint`,
      cdnFrontdoorProfileId: this.profile.id,
      enabled: true,
    });
    this.hostName = this.endpoint.hostName;
    const group = new CdnFrontdoorOriginGroup(this, 'origin-group', {
      name: `${props.name}-origins`,
      cdnFrontdoorProfileId: this.profile.id,
      sessionAffinityEnabled: false,
      restoreTrafficTimeToHealedOrNewEndpointInMinutes: 10,
      healthProbe: { protocol: 'Https', requestType: 'HEAD', path: props.healthProbePath ?? '/', intervalInSeconds: 100 },
      loadBalancing: { sampleSize: 4, successfulSamplesRequired: 3, additionalLatencyInMilliseconds: 50 },
    });
    const origins: Record<string, CdnFrontdoorOrigin> = {};
    for (const [name, origin] of Object.entries(props.origins)) {
      origins[name] = new CdnFrontdoorOrigin(this, `origin-${name}`, {
        name,
        cdnFrontdoorOriginGroupId: group.id,
        enabled: true,
        hostName: origin.hostName,
        originHostHeader: origin.hostName,
        httpsPort: 443,
        httpPort: 80,
        certificateNameCheckEnabled: true,
        priority: origin.priority ?? 1,
        weight: origin.weight ?? 500,
        privateLink:
          origin.privateLink === undefined
            ? undefined
            : {
                privateLinkTargetId: origin.privateLink.targetId,
                location: origin.privateLink.location,
                targetType: origin.privateLink.targetType,
                requestMessage: `Front Door ${props.name}`,
              },
      });
    }
    this.origins = origins;

    const customDomains: Record<string, CdnFrontdoorCustomDomain> = {};
    for (const [name, hostName] of Object.entries(props.customDomains ?? {})) {
      customDomains[name] = new CdnFrontdoorCustomDomain(this, `domain-${name}`, {
        name,
        cdnFrontdoorProfileId: this.profile.id,
        hostName,
        tls: { certificateType: 'ManagedCertificate', minimumTlsVersion: 'TLS12' },
      });
    }
    this.customDomains = customDomains;
    const domains = Object.values(customDomains);
    const route = new CdnFrontdoorRoute(this, 'route', {
      name: `${props.name}-route`,
      cdnFrontdoorEndpointId: this.endpoint.id,
      cdnFrontdoorOriginGroupId: group.id,
      cdnFrontdoorOriginIds: Object.values(origins).map((o) => o.id),
      cdnFrontdoorCustomDomainIds: domains.length === 0 ? undefined : domains.map((d) => d.id),
      patternsToMatch: [...(props.patternsToMatch ?? ['/*'])],
      supportedProtocols: ['Http', 'Https'],
      httpsRedirectEnabled: true,
      forwardingProtocol: 'HttpsOnly',
      linkToDefaultDomain: true,
      enabled: true,
    });
    for (const [i, domain] of domains.entries()) {
      const name = Object.keys(props.customDomains ?? {})[i]!;
      new CdnFrontdoorCustomDomainAssociation(this, `domain-${name}-association`, {
        cdnFrontdoorCustomDomainId: domain.id,
        cdnFrontdoorRouteIds: [route.id],
      });
    }

    this.waf = new FrontDoorWaf(this, 'waf', { ...props.waf, resourceGroupName: rg, name: `${props.name.replace(/-/g, '')}waf`, sku });
    new CdnFrontdoorSecurityPolicy(this, 'security-policy', {
      name: `${props.name}-waf`,
      cdnFrontdoorProfileId: this.profile.id,
      securityPolicies: {
        firewall: {
          cdnFrontdoorFirewallPolicyId: this.waf.id,
          association: {
            patternsToMatch: ['/*'],
            domain: [{ cdnFrontdoorDomainId: this.endpoint.id }, ...domains.map((d) => ({ cdnFrontdoorDomainId: d.id }))],
          },
        },
      },
    });
    if (props.logWorkspaceId !== undefined) {
      new DiagnosticSetting(this, 'logs', { targetResourceId: this.profile.id, workspaceId: props.logWorkspaceId });
    }
  }
}
