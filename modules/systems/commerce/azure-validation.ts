// Prop checks for CommerceAzure that name the environment-file knob at fault.
import type { Construct } from 'constructs';
import { isUnresolved, PropProblems } from '../../core/validation.js';
import { overlaps, parseCidr } from '../../core/cidr.js';
import type { CommerceAzureProps } from './azure-props.js';

const ZONE_REDUNDANT_SQL = /^(P\d+|GP_|BC_|HS_)/;

export function validateCommerceAzure(scope: Construct, props: CommerceAzureProps): void {
  const p = new PropProblems(scope, 'CommerceAzure');
  const s = props.settings;
  // At most 26 characters: the Functions host id is the first 32 characters of the app name, and the
  // four apps share a storage account, so their service names must start within those 32.
  p.matches('prefix', props.prefix, /^[a-z][a-z0-9-]{2,24}[a-z0-9]$/, '4-26 lowercase letters, digits or hyphens, starting with a letter');
  p.matches('nameSuffix', props.nameSuffix, /^[a-z0-9]{1,6}$/, '1-6 lowercase letters or digits');
  p.matches(
    'tenantId',
    props.tenantId,
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
    'an Entra ID tenant id (a UUID)',
  );
  p.matches(
    'awsPrincipalId',
    props.awsPrincipalId,
    /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
    'an Entra ID object id (a UUID)',
  );
  const azure = isUnresolved(props.cidr) ? undefined : parseCidr(props.cidr);
  p.check(
    azure !== undefined && azure.prefix <= 22,
    `cidr must be a canonical IPv4 CIDR of /22 or larger (got ${JSON.stringify(props.cidr)})`,
    props.cidr,
  );
  const aws = isUnresolved(props.aws.cidr) ? undefined : parseCidr(props.aws.cidr);
  p.check(aws !== undefined, `aws.cidr must be a canonical IPv4 CIDR (got ${JSON.stringify(props.aws.cidr)})`, props.aws.cidr);
  if (azure !== undefined && aws !== undefined) {
    p.check(
      !overlaps(azure, aws),
      `aws.cidr must not overlap cidr: the VPN routes it (got aws.cidr ${props.aws.cidr}, cidr ${props.cidr})`,
    );
  }
  const tunnels = Object.keys(props.aws.tunnels).length;
  p.check(tunnels >= 1 && tunnels <= 4, `aws.tunnels must name 1-4 tunnels (an AWS VPN connection has 2; got ${tunnels})`);
  p.check(
    !s.multiAz || ZONE_REDUNDANT_SQL.test(s.sqlSku),
    `settings.multiAz: true needs a zone-redundant settings.sqlSku (P1…, GP_…, BC_…, HS_…; got ${JSON.stringify(s.sqlSku)})`,
  );
  p.check(
    !s.multiAz || s.redisSku === 'Premium',
    `settings.multiAz: true needs settings.redisSku "Premium" for a zone-redundant cache (got ${JSON.stringify(s.redisSku)})`,
  );
  p.throwIfAny();
}
