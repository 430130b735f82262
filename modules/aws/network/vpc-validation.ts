// Every problem with a Vpc's props, reported together with the bad value and what is allowed.
import { Token } from 'cdktf';
import type { Construct } from 'constructs';
import { PropProblems } from '../../core/validation.js';
import { LOG_RETENTION_DAYS } from '../observability/log-group.js';
import { canonicalIpv4Cidr, isAnyAddress, parseIpv4Cidr } from '../../core/cidr.js';
import { DEFAULT_GATEWAY_ENDPOINTS, type ResolvedVpcProps } from './vpc-props.js';

export const AZ_PATTERN = /^[a-z]{2}(-[a-z]+)+-\d+[a-h]$/;
const SERVICE_PATTERN = /^[a-z0-9]+([.-][a-z0-9]+)*$/;
// NACLs allow 20 ingress rules by default; the private NACL uses 5 of its own.
const MAX_PRIVATE_NETWORK_CIDRS = 15;

export function validateVpcProps(construct: Construct, props: ResolvedVpcProps): void {
  const p = new PropProblems(construct, 'Vpc');
  cidrProblems(p, 'cidr', props.cidr);
  const parsed = Token.isUnresolved(props.cidr) ? undefined : parseIpv4Cidr(props.cidr);
  if (parsed) {
    p.range('cidr prefix length', parsed.prefix, 16, 28);
    p.check(
      parsed.prefix + props.subnetNewBits <= 28,
      `cidr ${props.cidr} is too small for subnetNewBits ${props.subnetNewBits}: subnets would be /${parsed.prefix + props.subnetNewBits} (AWS allows up to /28; use a /${28 - props.subnetNewBits} or larger VPC)`,
    );
  }
  p.range('subnetNewBits', props.subnetNewBits, 5, 12);

  const azs = props.availabilityZones;
  p.check(azs.length >= 1 && azs.length <= 8, `availabilityZones must list 1 to 8 AZ names (got ${azs.length})`);
  for (const az of azs) {
    p.check(!Token.isUnresolved(az), `availabilityZones must be literal names (they key the subnets); got a token ${az}`);
    if (!Token.isUnresolved(az))
      p.matches('availabilityZones entry', az, AZ_PATTERN, 'an AZ name ending in a letter a-h, like "eu-west-1a"');
  }
  const duplicates = azs.filter((az, i) => azs.indexOf(az) !== i);
  p.check(duplicates.length === 0, `availabilityZones must be unique (got ${JSON.stringify(duplicates)} more than once)`);
  const regions = [...new Set(azs.filter((az) => AZ_PATTERN.test(az)).map((az) => az.slice(0, -1)))];
  p.check(regions.length <= 1, `availabilityZones must all be in one region (got ${JSON.stringify(regions)})`);

  p.oneOf('natGateways', props.natGateways, ['single', 'perAz', 'none'] as const);
  if (props.flowLogRetentionDays !== undefined)
    p.oneOf('flowLogRetentionDays', props.flowLogRetentionDays, LOG_RETENTION_DAYS as readonly number[]);
  p.matches(
    'name',
    props.name,
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/,
    '1-63 letters, digits, ".", "_" or "-", starting with a letter or digit',
  );

  const gateways = props.gatewayEndpoints ?? DEFAULT_GATEWAY_ENDPOINTS;
  for (const service of gateways) p.oneOf('gatewayEndpoints entry', service, ['s3', 'dynamodb'] as const);
  p.check(new Set(gateways).size === gateways.length, `gatewayEndpoints must be unique (got ${JSON.stringify(gateways)})`);
  const interfaces = props.interfaceEndpoints ?? [];
  for (const service of interfaces)
    p.matches('interfaceEndpoints entry', service, SERVICE_PATTERN, 'a service short name like "ecr.api" or "execute-api"');
  p.check(new Set(interfaces).size === interfaces.length, `interfaceEndpoints must be unique (got ${JSON.stringify(interfaces)})`);
  const both = interfaces.filter((service) => (gateways as string[]).includes(service));
  p.check(
    both.length === 0,
    `interfaceEndpoints must not repeat a gateway endpoint (got ${JSON.stringify(both)}; the gateway endpoint already serves the VPC and private DNS cannot be on both)`,
  );

  const privateNetworks = props.privateNetworkCidrs ?? [];
  p.check(
    privateNetworks.length <= MAX_PRIVATE_NETWORK_CIDRS,
    `privateNetworkCidrs must list at most ${MAX_PRIVATE_NETWORK_CIDRS} CIDRs (NACL rule quota; got ${privateNetworks.length})`,
  );
  for (const cidr of privateNetworks) {
    cidrProblems(p, 'privateNetworkCidrs entry', cidr);
    p.check(!isAnyAddress(cidr), `privateNetworkCidrs entry must not be ${cidr}: that is the whole internet, not a private network`, cidr);
  }
  p.throwIfAny();
}

function cidrProblems(p: PropProblems, prop: string, cidr: string): void {
  if (Token.isUnresolved(cidr)) return;
  const canonical = canonicalIpv4Cidr(cidr);
  p.check(canonical !== undefined, `${prop} must be an IPv4 CIDR like 10.0.0.0/16 (got ${JSON.stringify(cidr)})`);
  p.check(
    canonical === undefined || canonical === cidr,
    `${prop} has host bits set (got ${JSON.stringify(cidr)}, the network is ${JSON.stringify(canonical)})`,
  );
}
