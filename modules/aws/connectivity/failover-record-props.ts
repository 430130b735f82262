// The props of FailoverRecord: an on-premises primary, a load balancer as secondary, the health check.
export interface FailoverPrimary {
  /** IPv4 addresses of the on-premises endpoint (A records). Give this or `domainName`. */
  readonly ipAddresses?: readonly string[];
  /** DNS name of the on-premises endpoint (CNAME records). Give this or `ipAddresses`. */
  readonly domainName?: string;
}

/**
 * An application load balancer (`ApplicationLoadBalancer` from modules/aws/compute fits), or with a
 * `domainName` primary any DNS name, e.g. another cloud's endpoint.
 */
export interface FailoverLoadBalancer {
  readonly dnsName: string;
  /** The alias target's hosted zone: required with `ipAddresses` (alias A record). @default none (CNAME) */
  readonly zoneId?: string;
}

export interface FailoverHealthCheckOptions {
  /** @default '/health' */
  readonly resourcePath?: string;
  /** @default 443 */
  readonly port?: number;
  /** Host sent in SNI and the Host header when checking IP addresses. @default recordName */
  readonly hostName?: string;
  /** Consecutive failures before the endpoint is unhealthy (1-10). @default 3 */
  readonly failureThreshold?: number;
  /** Seconds between checks: 10 or 30. @default 30 */
  readonly requestInterval?: 10 | 30;
  /** The response body must contain this (HTTPS_STR_MATCH). @default the status code alone decides */
  readonly searchString?: string;
  /** Checker regions (at least 3). @default Route 53's default set */
  readonly regions?: readonly string[];
}

export interface FailoverRecordProps {
  readonly zoneId: string;
  /** Fully qualified record name, e.g. `api.example.com`. */
  readonly recordName: string;
  readonly primary: FailoverPrimary;
  readonly secondary: FailoverLoadBalancer;
  /** @default HTTPS on 443, path /health, 3 failures, every 30 s */
  readonly healthCheck?: FailoverHealthCheckOptions;
  /**
   * The id of a health check built elsewhere that decides the primary instead of HTTPS checks of it, e.g.
   * a calculated check over CloudWatch alarms where the primary has no unauthenticated path to request.
   * Not with `healthCheck`. @default HTTPS checks of the primary's addresses or name
   */
  readonly primaryHealthCheckId?: string;
  /** TTL of the non-alias records, in seconds. @default 60 */
  readonly ttl?: number;
}
