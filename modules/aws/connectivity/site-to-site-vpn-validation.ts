// Every problem with a SiteToSiteVpn's props, reported together.
import { Token } from 'cdktf';
import type { Construct } from 'constructs';
import { PropProblems } from '../../core/validation.js';
import { LOG_RETENTION_DAYS } from '../observability/log-group.js';
import { canonicalIpv4Cidr, isAnyAddress, isIpv4 } from '../../core/cidr.js';
import type { ResolvedSiteToSiteVpnProps } from './site-to-site-vpn-props.js';

const KEY_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

export function validateVpnProps(construct: Construct, props: ResolvedSiteToSiteVpnProps): void {
  const p = new PropProblems(construct, 'SiteToSiteVpn');
  p.satisfies('customerGatewayIp', props.customerGatewayIp, isIpv4, 'an IPv4 address like 203.0.113.10');
  p.range('customerGatewayBgpAsn', props.customerGatewayBgpAsn, 1, 4294967294);
  p.oneOf('routing', props.routing, ['bgp', 'static'] as const);
  p.oneOf('presharedKeyStorage', props.presharedKeyStorage, ['SecretsManager', 'Standard'] as const);
  if (props.tunnelLogRetentionDays !== undefined)
    p.oneOf('tunnelLogRetentionDays', props.tunnelLogRetentionDays, LOG_RETENTION_DAYS as readonly number[]);
  p.matches(
    'name',
    props.name,
    /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/,
    '1-63 letters, digits, ".", "_" or "-", starting with a letter or digit',
  );

  p.check(props.onPremisesCidrs.length > 0, 'onPremisesCidrs must list at least one on-premises network (got [])');
  for (const cidr of props.onPremisesCidrs) {
    if (Token.isUnresolved(cidr)) continue;
    const canonical = canonicalIpv4Cidr(cidr);
    p.check(canonical !== undefined, `onPremisesCidrs entry must be an IPv4 CIDR like 192.168.0.0/16 (got ${JSON.stringify(cidr)})`);
    p.check(
      canonical === undefined || canonical === cidr,
      `onPremisesCidrs entry has host bits set (got ${JSON.stringify(cidr)}, the network is ${JSON.stringify(canonical)})`,
    );
    p.check(
      !isAnyAddress(cidr),
      `onPremisesCidrs entry must not be ${cidr}: routing the whole internet to on-premises is not a site-to-site VPN`,
    );
  }
  const duplicates = props.onPremisesCidrs.filter((c, i) => props.onPremisesCidrs.indexOf(c) !== i);
  p.check(duplicates.length === 0, `onPremisesCidrs must be unique (got ${JSON.stringify(duplicates)} more than once)`);

  const targets = [props.vpcId !== undefined && 'vpcId', props.transitGatewayId !== undefined && 'transitGatewayId'].filter(Boolean);
  p.check(
    targets.length === 1,
    `give exactly one of vpcId (virtual private gateway) and transitGatewayId (got ${targets.length === 0 ? 'neither' : 'both'})`,
  );
  if (props.amazonSideAsn !== undefined && !Token.isUnresolved(props.amazonSideAsn)) {
    const asn = props.amazonSideAsn;
    p.check(
      (asn >= 64512 && asn <= 65534) || (asn >= 4200000000 && asn <= 4294967294),
      `amazonSideAsn must be a private ASN, 64512-65534 or 4200000000-4294967294 (got ${asn})`,
    );
    p.check(props.vpcId !== undefined, `amazonSideAsn applies to a virtual private gateway only; set vpcId or drop it (got ${asn})`);
  }
  if (props.transitGatewayId !== undefined) {
    p.check(
      props.routing !== 'static' || props.transitGatewayRouteTableId !== undefined,
      'transitGatewayRouteTableId is required with routing "static" on a transit gateway (the static routes go into it)',
    );
    p.check(props.routePropagation !== true, 'routePropagation applies to a virtual private gateway only (got true with transitGatewayId)');
  }
  p.check(
    props.transitGatewayRouteTableId === undefined || props.transitGatewayId !== undefined,
    'transitGatewayRouteTableId applies to a transit gateway only; set transitGatewayId or drop it',
  );
  for (const key of Object.keys(props.routeTables)) p.matches('routeTables key', key, KEY_PATTERN, '1-64 letters, digits, ".", "_" or "-"');
  p.throwIfAny();
}
