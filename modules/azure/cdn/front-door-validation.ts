// Prop checks for FrontDoor: sku features, origins, custom domains and the WAF.
import type { Construct } from 'constructs';
import { isUnresolved, PropProblems } from '../../core/validation.js';
import { checkName } from '../core/names.js';
import { FRONT_DOOR_SKUS, PRIVATE_LINK_TARGET_TYPES, type FrontDoorProps, type FrontDoorSku } from './front-door-props.js';

const HOST = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

export function validateFrontDoor(scope: Construct, props: FrontDoorProps, sku: FrontDoorSku): void {
  const p = new PropProblems(scope, 'FrontDoor');
  p.matches('resourceGroupName', props.resourceGroupName, /^[\w().-]{0,89}[\w()-]$/, 'a resource group name');
  checkName(p, 'name', props.name, 'frontDoor');
  p.oneOf('sku', sku, FRONT_DOOR_SKUS);
  const premium = sku === 'Premium_AzureFrontDoor';
  const origins = Object.entries(props.origins);
  p.check(origins.length > 0, 'origins must name at least one origin (got {})');
  for (const [name, origin] of origins) {
    const at = `origins.${name}`;
    p.matches(`${at} name`, name, /^[A-Za-z0-9][A-Za-z0-9-]{0,88}[A-Za-z0-9]$/, '2-90 letters, digits or hyphens');
    p.check(
      isUnresolved(origin.hostName) || HOST.test(origin.hostName),
      `${at}.hostName must be a DNS name such as app.azurewebsites.net (got ${JSON.stringify(origin.hostName)})`,
    );
    p.range(`${at}.priority`, origin.priority, 1, 5);
    p.range(`${at}.weight`, origin.weight, 1, 1000);
    if (origin.privateLink !== undefined) {
      p.check(premium, `${at}.privateLink needs sku "Premium_AzureFrontDoor" (got ${JSON.stringify(sku)})`);
      p.oneOf(`${at}.privateLink.targetType`, origin.privateLink.targetType, PRIVATE_LINK_TARGET_TYPES);
    }
  }
  p.matches('healthProbePath', props.healthProbePath, /^\/[A-Za-z0-9/._~-]*$/, 'an absolute path such as /api/health');
  for (const pattern of props.patternsToMatch ?? []) {
    p.matches('patternsToMatch', pattern, /^\/[A-Za-z0-9/._~*-]*$/, 'paths starting with / such as /api/*');
  }
  for (const [name, host] of Object.entries(props.customDomains ?? {})) {
    p.matches(`customDomains.${name} name`, name, /^[A-Za-z0-9][A-Za-z0-9-]{0,258}[A-Za-z0-9]$/, '2-260 letters, digits or hyphens');
    p.check(
      isUnresolved(host) || HOST.test(host),
      `customDomains.${name} must be a DNS name such as shop.example.com (got ${JSON.stringify(host)})`,
    );
  }
  const waf = props.waf ?? {};
  p.oneOf('waf.mode', waf.mode, ['Prevention', 'Detection'] as const);
  p.check(
    premium || waf.managedRules === false,
    `sku "Standard_AzureFrontDoor" cannot run managed WAF rule sets: use "Premium_AzureFrontDoor", or set waf.managedRules: false to accept custom rules only`,
  );
  p.range('waf.rateLimitThreshold', waf.rateLimitThreshold, 10, 5000000);
  p.oneOf('waf.rateLimitDurationInMinutes', waf.rateLimitDurationInMinutes, [1, 5] as const);
  p.throwIfAny();
}
