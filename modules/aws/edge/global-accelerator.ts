// A Global Accelerator with a TCP 443 listener and one endpoint group per region, each pointing
// at application load balancers (client IPs preserved, so ALB security groups and WAF still see them).
import { Token } from 'cdktf';
import { Construct } from 'constructs';
import { GlobalacceleratorAccelerator } from '@cdktf/provider-aws/lib/globalaccelerator-accelerator/index.js';
import { GlobalacceleratorListener } from '@cdktf/provider-aws/lib/globalaccelerator-listener/index.js';
import { GlobalacceleratorEndpointGroup } from '@cdktf/provider-aws/lib/globalaccelerator-endpoint-group/index.js';
import { ShieldProtection } from '@cdktf/provider-aws/lib/shield-protection/index.js';
import { PropProblems } from '../../core/validation.js';

export interface AcceleratorEndpointGroup {
  /** ARNs of application load balancers in this region. */
  readonly albArns: readonly string[];
  /** Share of the region's traffic sent to it (0-100). @default 100 */
  readonly trafficDialPercentage?: number;
}

export interface GlobalAcceleratorProps {
  /** Endpoint groups keyed by region name, e.g. `{ 'eu-west-1': { albArns: [alb.arn] } }`. */
  readonly endpointGroups: Record<string, AcceleratorEndpointGroup>;
  /** Bucket name for flow logs. @default no flow logs */
  readonly flowLogsBucket?: string;
  /** @default 'global-accelerator/<name>/' */
  readonly flowLogsPrefix?: string;
  /** @default 'NONE' */
  readonly clientAffinity?: 'NONE' | 'SOURCE_IP';
  /** @default 'IPV4' */
  readonly ipAddressType?: 'IPV4' | 'DUAL_STACK';
  /** Protect the accelerator with Shield Advanced (needs an active subscription). @default false */
  readonly shieldAdvanced?: boolean;
  /** @default the construct id */
  readonly name?: string;
}

const REGION = /^[a-z]{2}(-[a-z]+)+-\d+$/;
const ALB_ARN = /^arn:aws[a-z-]*:elasticloadbalancing:([a-z0-9-]+):\d{12}:loadbalancer\/app\/.+$/;

export class GlobalAccelerator extends Construct {
  public readonly accelerator: GlobalacceleratorAccelerator;
  public readonly arn: string;
  public readonly dnsName: string;
  /** Route 53 zone id of Global Accelerator, for alias records. */
  public readonly hostedZoneId: string;
  public readonly listener: GlobalacceleratorListener;
  public readonly endpointGroups: Record<string, GlobalacceleratorEndpointGroup> = {};

  constructor(scope: Construct, id: string, props: GlobalAcceleratorProps) {
    super(scope, id);
    const name = props.name ?? id;
    validate(this, props, name);

    this.accelerator = new GlobalacceleratorAccelerator(this, 'accelerator', {
      name,
      enabled: true,
      ipAddressType: props.ipAddressType ?? 'IPV4',
      attributes:
        props.flowLogsBucket === undefined
          ? { flowLogsEnabled: false }
          : {
              flowLogsEnabled: true,
              flowLogsS3Bucket: props.flowLogsBucket,
              flowLogsS3Prefix: props.flowLogsPrefix ?? `global-accelerator/${name}/`,
            },
    });
    this.arn = this.accelerator.id;
    this.dnsName = this.accelerator.dnsName;
    this.hostedZoneId = this.accelerator.hostedZoneId;
    this.listener = new GlobalacceleratorListener(this, 'listener-443', {
      acceleratorArn: this.accelerator.id,
      protocol: 'TCP',
      clientAffinity: props.clientAffinity ?? 'NONE',
      portRange: [{ fromPort: 443, toPort: 443 }],
    });
    for (const [region, group] of Object.entries(props.endpointGroups)) {
      this.endpointGroups[region] = new GlobalacceleratorEndpointGroup(this, `endpoint-group-${region}`, {
        listenerArn: this.listener.id,
        endpointGroupRegion: region,
        trafficDialPercentage: group.trafficDialPercentage ?? 100,
        endpointConfiguration: group.albArns.map((endpointId) => ({ endpointId, weight: 100, clientIpPreservationEnabled: true })),
      });
    }
    if (props.shieldAdvanced === true) {
      new ShieldProtection(this, 'shield', { name, resourceArn: this.accelerator.id });
    }
  }
}

function validate(construct: Construct, props: GlobalAcceleratorProps, name: string): void {
  const p = new PropProblems(construct, 'GlobalAccelerator');
  p.matches(
    'name',
    name,
    /^[A-Za-z0-9]([A-Za-z0-9-]{0,62}[A-Za-z0-9])?$/,
    '1-64 letters, digits or hyphens, not starting or ending with a hyphen',
  );
  const regions = Object.keys(props.endpointGroups);
  p.check(regions.length > 0, 'endpointGroups must name at least one region (got {})');
  for (const [region, group] of Object.entries(props.endpointGroups)) {
    p.matches('endpointGroups key', region, REGION, 'a region name like "eu-west-1"');
    p.check(
      group.albArns.length >= 1 && group.albArns.length <= 10,
      `endpointGroups["${region}"].albArns must list 1 to 10 ARNs (got ${group.albArns.length})`,
      group.albArns,
    );
    for (const arn of group.albArns) {
      if (Token.isUnresolved(arn)) continue;
      const match = ALB_ARN.exec(arn);
      p.check(
        match !== null,
        `endpointGroups["${region}"].albArns entry must be an application load balancer ARN (got ${JSON.stringify(arn)})`,
      );
      p.check(
        match === null || match[1] === region,
        `endpointGroups["${region}"].albArns entry is in region ${match?.[1]}, not ${region} (got ${JSON.stringify(arn)})`,
      );
    }
    p.range(`endpointGroups["${region}"].trafficDialPercentage`, group.trafficDialPercentage, 0, 100, false);
  }
  p.oneOf('clientAffinity', props.clientAffinity, ['NONE', 'SOURCE_IP'] as const);
  p.oneOf('ipAddressType', props.ipAddressType, ['IPV4', 'DUAL_STACK'] as const);
  p.matches('flowLogsBucket', props.flowLogsBucket, /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'an S3 bucket name (not an ARN)');
  p.check(props.flowLogsPrefix === undefined || props.flowLogsBucket !== undefined, 'flowLogsPrefix needs flowLogsBucket');
  p.throwIfAny();
}
