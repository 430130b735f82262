// Health-based failover between the clouds: Route 53 answers the shop API's name with the AWS API
// (regional custom domain, its own ACM certificate) while the AWS side is healthy, and with the Azure
// Front Door endpoint when it is not. Every API method requires a Cognito token (the policy gate refuses
// an unauthenticated one), so no HTTPS check can request a path that answers 200: the primary's health
// is a calculated check over a TCP check of the API's endpoint (the region answers at all) and a
// CloudWatch alarm on the share of requests answered 5xx (the functions and tables behind it work).
import { Construct } from 'constructs';
import type { ApiGatewayDomainName } from '@cdktf/provider-aws/lib/api-gateway-domain-name/index.js';
import { Route53HealthCheck } from '@cdktf/provider-aws/lib/route53-health-check/index.js';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record/index.js';
import { regionalApiDomain } from '../../aws/api/regional-domain.js';
import type { RestApi } from '../../aws/api/rest-api.js';
import { FailoverRecord } from '../../aws/connectivity/failover-record.js';
import type { DnsValidatedCertificate } from '../../aws/edge/certificate.js';
import type { PublicHostedZone } from '../../aws/edge/hosted-zone.js';
import { MetricAlarm } from '../../aws/observability/alarms.js';

/** The 5xx share (API Gateway's 5XXError averages 0/1 per request) above which the AWS API counts as failing. */
export const FAILING_5XX_SHARE = 0.5;
/** Consecutive failing minutes before Route 53 sends the name to Azure. */
export const FAILING_MINUTES = 3;

export interface CrossCloudFailoverProps {
  readonly prefix: string;
  /** The Route 53 zone holding the name (the stack's one zone, from the environment file's `dns.zone`). */
  readonly zone: PublicHostedZone;
  /** The shop API's public name, inside the zone. */
  readonly domain: string;
  /** The AWS API (primary) and its region. */
  readonly api: RestApi;
  readonly region: string;
  /** The Azure side (secondary): Front Door's endpoint host and the validation token of its custom domain for `domain`. */
  readonly azure: { readonly hostName: string; readonly domainValidationToken: string };
  /** Where the 5xx alarm deciding the failover notifies (it also means the shop runs on Azure). */
  readonly alarmTopicArn: string;
  /** Existing topics the alarm notifies too (the environment file's `alarms.snsTopic`). @default none */
  readonly alsoNotifyArns?: readonly string[];
}

export class CrossCloudFailover extends Construct {
  public readonly zone: PublicHostedZone;
  public readonly certificate: DnsValidatedCertificate;
  public readonly domainName: ApiGatewayDomainName;
  public readonly reachable: Route53HealthCheck;
  public readonly answering: Route53HealthCheck;
  public readonly failingAlarm: MetricAlarm;
  /** Healthy while both children are: the primary record's health check. */
  public readonly healthCheck: Route53HealthCheck;
  public readonly record: FailoverRecord;

  constructor(scope: Construct, id: string, props: CrossCloudFailoverProps) {
    super(scope, id);
    this.zone = props.zone;
    const domain = regionalApiDomain(this, {
      domainName: props.domain,
      hostedZoneId: this.zone.zoneId,
      awaitValidation: this.zone.validates,
      api: props.api,
    });
    this.certificate = domain.certificate;
    this.domainName = domain.domainName;

    this.reachable = new Route53HealthCheck(this, 'reachable', {
      type: 'TCP',
      fqdn: this.domainName.regionalDomainName,
      port: 443,
      failureThreshold: FAILING_MINUTES,
      requestInterval: 30,
      tags: { Name: `${props.domain} AWS endpoint reachable` },
    });
    this.failingAlarm = new MetricAlarm(this, 'failing', {
      alarmTopicArn: props.alarmTopicArn,
      alsoNotifyArns: props.alsoNotifyArns,
      alarmName: `${props.prefix}-api-failing-over`,
      description: `Over ${FAILING_5XX_SHARE * 100}% of API requests answered 5xx for ${FAILING_MINUTES} minutes: Route 53 sends ${props.domain} to Azure`,
      namespace: 'AWS/ApiGateway',
      metricName: '5XXError',
      dimensions: { ApiName: props.prefix, Stage: props.api.stageName },
      statistic: 'Average',
      comparisonOperator: 'GreaterThanThreshold',
      threshold: FAILING_5XX_SHARE,
      periodSeconds: 60,
      evaluationPeriods: FAILING_MINUTES,
      // No requests is no failure; an endpoint that stops answering altogether fails the TCP check instead.
      treatMissingData: 'notBreaching',
    });
    this.answering = new Route53HealthCheck(this, 'answering', {
      type: 'CLOUDWATCH_METRIC',
      cloudwatchAlarmName: this.failingAlarm.alarmName,
      cloudwatchAlarmRegion: props.region,
      insufficientDataHealthStatus: 'LastKnownStatus',
      tags: { Name: `${props.domain} AWS API answering` },
    });
    this.healthCheck = new Route53HealthCheck(this, 'health-check', {
      type: 'CALCULATED',
      childHealthThreshold: 2,
      childHealthchecks: [this.reachable.id, this.answering.id],
      tags: { Name: `${props.domain} AWS primary` },
    });

    this.record = new FailoverRecord(this, 'failover', {
      zoneId: this.zone.zoneId,
      recordName: props.domain,
      primary: { domainName: this.domainName.regionalDomainName },
      primaryHealthCheckId: this.healthCheck.id,
      secondary: { dnsName: props.azure.hostName },
    });
    // Front Door issues its managed certificate for the name once this record proves the zone is ours.
    new Route53Record(this, 'front-door-validation', {
      zoneId: this.zone.zoneId,
      name: `_dnsauth.${props.domain}`,
      type: 'TXT',
      ttl: 3600,
      records: [props.azure.domainValidationToken],
    });
  }
}
