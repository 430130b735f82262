// DNS failover from an on-premises endpoint (primary, checked over HTTPS by Route 53) to an
// AWS application load balancer (secondary). With IP addresses the records are A records and
// the secondary is an alias that evaluates the load balancer's target health. With a DNS name
// both must be CNAMEs (Route 53 cannot alias a CNAME to a load balancer), so the secondary is a
// plain CNAME that Route 53 treats as always healthy.
import { Construct } from 'constructs';
import { Route53HealthCheck } from '@cdktf/provider-aws/lib/route53-health-check/index.js';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record/index.js';
import type { FailoverRecordProps } from './failover-record-props.js';
import { validateFailoverProps } from './failover-record-validation.js';

export type { FailoverHealthCheckOptions, FailoverLoadBalancer, FailoverPrimary, FailoverRecordProps } from './failover-record-props.js';

export class FailoverRecord extends Construct {
  public readonly primaryRecord: Route53Record;
  public readonly secondaryRecord: Route53Record;
  /** The health check deciding the primary (a calculated check over one check per IP when there are several); absent with primaryHealthCheckId. */
  public readonly healthCheck?: Route53HealthCheck;
  public readonly healthCheckId: string;
  /** Checks of each on-premises address (or of the DNS name), keyed by address. */
  public readonly endpointHealthChecks: Record<string, Route53HealthCheck> = {};
  public readonly fqdn: string;

  constructor(scope: Construct, id: string, props: FailoverRecordProps) {
    super(scope, id);
    validateFailoverProps(this, props);
    const check = props.healthCheck ?? {};
    const ttl = props.ttl ?? 60;
    const common = {
      type: check.searchString === undefined ? 'HTTPS' : 'HTTPS_STR_MATCH',
      port: check.port ?? 443,
      resourcePath: check.resourcePath ?? '/health',
      failureThreshold: check.failureThreshold ?? 3,
      requestInterval: check.requestInterval ?? 30,
      searchString: check.searchString,
      regions: check.regions && [...check.regions],
      enableSni: true,
    };

    if (props.primaryHealthCheckId !== undefined) {
      this.healthCheckId = props.primaryHealthCheckId;
    } else if (props.primary.domainName !== undefined) {
      this.endpointHealthChecks[props.primary.domainName] = new Route53HealthCheck(this, 'health-check', {
        ...common,
        fqdn: props.primary.domainName,
        tags: { Name: `${props.recordName} on-premises` },
      });
      this.healthCheck = this.endpointHealthChecks[props.primary.domainName];
      this.healthCheckId = this.healthCheck.id;
    } else {
      const ips = props.primary.ipAddresses ?? [];
      for (const ip of ips) {
        this.endpointHealthChecks[ip] = new Route53HealthCheck(
          this,
          ips.length === 1 ? 'health-check' : `health-check-${ip.replace(/\./g, '-')}`,
          {
            ...common,
            ipAddress: ip,
            fqdn: check.hostName ?? props.recordName,
            tags: { Name: `${props.recordName} on-premises ${ip}` },
          },
        );
      }
      this.healthCheck =
        ips.length === 1
          ? this.endpointHealthChecks[ips[0]]
          : new Route53HealthCheck(this, 'health-check', {
              type: 'CALCULATED',
              // The primary stays in service while any one on-premises address answers.
              childHealthThreshold: 1,
              childHealthchecks: ips.map((ip) => this.endpointHealthChecks[ip].id),
              tags: { Name: `${props.recordName} on-premises` },
            });
      this.healthCheckId = this.healthCheck.id;
    }

    const isCname = props.primary.domainName !== undefined;
    this.primaryRecord = new Route53Record(this, 'primary', {
      zoneId: props.zoneId,
      name: props.recordName,
      type: isCname ? 'CNAME' : 'A',
      ttl,
      records: isCname ? [props.primary.domainName!] : [...(props.primary.ipAddresses ?? [])],
      setIdentifier: 'primary',
      failoverRoutingPolicy: { type: 'PRIMARY' },
      healthCheckId: this.healthCheckId,
    });
    this.secondaryRecord = new Route53Record(this, 'secondary', {
      zoneId: props.zoneId,
      name: props.recordName,
      setIdentifier: 'secondary',
      failoverRoutingPolicy: { type: 'SECONDARY' },
      ...(isCname
        ? { type: 'CNAME', ttl, records: [props.secondary.dnsName] }
        : { type: 'A', alias: { name: props.secondary.dnsName, zoneId: props.secondary.zoneId!, evaluateTargetHealth: true } }),
    });
    this.fqdn = this.primaryRecord.fqdn;
  }
}
