// The network-access props every Azure data service shares, and their checks.
import type { PropProblems } from '../../core/validation.js';
import type { PrivateLinkOptions } from '../network/private-endpoint.js';

export interface NetworkAccessProps {
  /** Private endpoint in this subnet, registered in the privatelink DNS zone. @default none: reachable by nothing until one is added */
  readonly privateLink?: PrivateLinkOptions;
  /**
   * Let the public endpoint answer, still limited by `allowedSubnetIds` where the service has rules.
   * The insecure choice, for lower environments without private endpoints. @default false
   */
  readonly allowPublicNetworkAccess?: boolean;
  /** Subnets (with the service's service endpoint) allowed through the public endpoint, keyed by name. Needs `allowPublicNetworkAccess`. @default none */
  readonly allowedSubnetIds?: Readonly<Record<string, string>>;
}

export function checkNetworkAccess(p: PropProblems, props: NetworkAccessProps): PropProblems {
  const subnets = Object.keys(props.allowedSubnetIds ?? {});
  return p.check(
    subnets.length === 0 || props.allowPublicNetworkAccess === true,
    `allowedSubnetIds needs allowPublicNetworkAccess: true (service endpoints reach the public endpoint; got allowedSubnetIds ${subnets.join(', ')} with allowPublicNetworkAccess ${props.allowPublicNetworkAccess ?? false})`,
  );
}
