// A system's public Route 53 zone: one that already exists (looked up by name), or one the stack creates.
// A created zone answers nothing until its parent domain delegates to the zone's name servers, so ACM
// cannot validate certificates in it before then: `validates` tells certificate consumers whether to wait.
import { TerraformOutput, type TerraformProvider } from 'cdktf';
import type { Construct } from 'constructs';
import { DataAwsRoute53Zone } from '@cdktf/provider-aws/lib/data-aws-route53-zone/index.js';
import { Route53Zone } from '@cdktf/provider-aws/lib/route53-zone/index.js';
import { PropProblems } from '../../core/validation.js';
import { DNS_NAME } from '../../core/dns-name.js';

export interface PublicHostedZoneProps {
  /** Name of an existing, delegated public zone to look up (`data aws_route53_zone`). Give this or `create`. @default none */
  readonly existing?: string;
  /** Name of a public zone to create; its name servers are output as `name_servers`. Give this or `existing`. @default none */
  readonly create?: string;
  /**
   * The parent domain delegates to the created zone (NS records set after a first apply), so certificates
   * in it can be validated. Only with `create`; an `existing` zone is taken as delegated.
   * @default false
   */
  readonly delegated?: boolean;
  /** Comment on a created zone. @default none */
  readonly comment?: string;
  /** @default the scope's default provider */
  readonly provider?: TerraformProvider;
}

export interface PublicHostedZone {
  readonly name: string;
  readonly zoneId: string;
  readonly arn: string;
  /** DNS validation in this zone can complete: the zone exists already or is marked delegated. */
  readonly validates: boolean;
  /** The created zone's name servers; absent for a looked-up zone. */
  readonly nameServers?: string[];
}

/**
 * Looks up or creates the zone with construct id `id` directly in `scope` (so the zone's Terraform address
 * stays `aws_route53_zone.<id>` / `data.aws_route53_zone.<id>`), and outputs a created zone's name servers.
 */
export function publicHostedZone(scope: Construct, id: string, props: PublicHostedZoneProps): PublicHostedZone {
  const p = new PropProblems(scope, 'publicHostedZone');
  p.check(
    (props.existing === undefined) !== (props.create === undefined),
    `give exactly one of existing, create (got existing ${JSON.stringify(props.existing)}, create ${JSON.stringify(props.create)})`,
  );
  p.matches('existing', props.existing, DNS_NAME, 'a zone name like "example.com"');
  p.matches('create', props.create, DNS_NAME, 'a zone name like "example.com"');
  p.check(
    props.delegated === undefined || props.create !== undefined,
    'delegated applies to a created zone only (an existing zone is taken as delegated)',
  );
  p.throwIfAny();

  if (props.existing !== undefined) {
    const zone = new DataAwsRoute53Zone(scope, id, { provider: props.provider, name: props.existing, privateZone: false });
    return { name: props.existing, zoneId: zone.zoneId, arn: zone.arn, validates: true };
  }
  const name = props.create!;
  const zone = new Route53Zone(scope, id, { provider: props.provider, name, comment: props.comment });
  const delegated = props.delegated ?? false;
  new TerraformOutput(scope, 'name_servers', {
    value: zone.nameServers,
    description: delegated
      ? `Name servers of ${name}; the parent domain delegates to them`
      : `Delegate ${name} to these name servers (NS records in the parent domain), then mark the zone delegated and apply again to validate its certificates`,
  });
  return { name, zoneId: zone.zoneId, arn: zone.arn, validates: delegated, nameServers: zone.nameServers };
}
