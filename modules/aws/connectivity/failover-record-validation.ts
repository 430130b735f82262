// Every problem with a FailoverRecord's props, reported together.
import { Token } from 'cdktf';
import type { Construct } from 'constructs';
import { PropProblems } from '../../core/validation.js';
import { isIpv4 } from '../../core/cidr.js';
import { DNS_NAME } from '../../core/dns-name.js';
import type { FailoverRecordProps } from './failover-record-props.js';

export const HEALTH_CHECK_REGIONS = [
  'us-east-1',
  'us-west-1',
  'us-west-2',
  'eu-west-1',
  'ap-southeast-1',
  'ap-southeast-2',
  'ap-northeast-1',
  'sa-east-1',
] as const;
const DNS_WHAT = 'a DNS name like "api.example.com"';

export function validateFailoverProps(construct: Construct, props: FailoverRecordProps): void {
  const p = new PropProblems(construct, 'FailoverRecord');
  p.matches('recordName', props.recordName, DNS_NAME, DNS_WHAT);
  const { ipAddresses, domainName } = props.primary;
  p.check(
    (ipAddresses === undefined) !== (domainName === undefined),
    `primary needs exactly one of ipAddresses and domainName (got ${ipAddresses === undefined ? 'neither' : 'both'})`,
  );
  if (ipAddresses !== undefined) {
    p.check(
      ipAddresses.length >= 1 && ipAddresses.length <= 8,
      `primary.ipAddresses must list 1 to 8 addresses (got ${ipAddresses.length})`,
      ipAddresses,
    );
    for (const ip of ipAddresses) p.satisfies('primary.ipAddresses entry', ip, isIpv4, 'an IPv4 address like 203.0.113.10');
    const duplicates = ipAddresses.filter((ip, i) => ipAddresses.indexOf(ip) !== i);
    p.check(duplicates.length === 0, `primary.ipAddresses must be unique (got ${JSON.stringify(duplicates)} more than once)`);
  }
  p.matches('primary.domainName', domainName, DNS_NAME, DNS_WHAT);
  p.check(
    domainName === undefined || Token.isUnresolved(domainName) || domainName.replace(/\.$/, '') !== props.recordName.replace(/\.$/, ''),
    `primary.domainName must differ from recordName (got ${JSON.stringify(domainName)}): a record cannot fail over to itself`,
  );
  p.range('ttl', props.ttl, 0, 86400);

  p.check(
    ipAddresses === undefined || props.secondary.zoneId !== undefined,
    'secondary.zoneId is required with primary.ipAddresses (the secondary is an alias A record)',
  );
  p.check(
    props.primaryHealthCheckId === undefined || props.healthCheck === undefined,
    'give healthCheck or primaryHealthCheckId, not both (primaryHealthCheckId replaces the HTTPS checks healthCheck configures)',
  );
  const check = props.healthCheck ?? {};
  p.matches('healthCheck.resourcePath', check.resourcePath, /^\/\S{0,254}$/, 'a path starting with "/", at most 255 characters');
  p.range('healthCheck.port', check.port, 1, 65535);
  p.matches('healthCheck.hostName', check.hostName, DNS_NAME, DNS_WHAT);
  p.range('healthCheck.failureThreshold', check.failureThreshold, 1, 10);
  p.oneOf('healthCheck.requestInterval', check.requestInterval, [10, 30] as const);
  p.check(
    check.searchString === undefined || (check.searchString.length >= 1 && check.searchString.length <= 255),
    `healthCheck.searchString must be 1-255 characters (got ${check.searchString?.length} characters)`,
    check.searchString,
  );
  if (check.regions !== undefined) {
    p.check(check.regions.length >= 3, `healthCheck.regions must list at least 3 regions (got ${JSON.stringify(check.regions)})`);
    for (const region of check.regions) p.oneOf('healthCheck.regions entry', region, HEALTH_CHECK_REGIONS as readonly string[]);
  }
  p.throwIfAny();
}
