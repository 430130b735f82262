// The commerce session store on AWS (seed 004: "ElastiCache for session data"): a Redis replication
// group in the VPC's isolated subnets, encrypted at rest with the system key and in transit (TLS
// required), AUTH token in Secrets Manager. Only the functions that keep sessions join the
// `session-clients` security group, the one group Redis admits and the one with an egress rule to it.
import { Construct } from 'constructs';
import { RedisReplicationGroup } from '../../aws/data/redis-replication-group.js';
import { SecurityGroup } from '../../aws/network/security-group.js';
import type { SystemSettings } from '../settings.js';

type CacheTier = SystemSettings['commerce']['redisSku'];

/**
 * The AWS nodes that match the environment's cache tier (`redisSku`, the Azure cache's tier too):
 * Basic is one small node, Standard adds a replica, Premium is memory-optimised.
 */
export const SESSION_CACHE_SIZES: Readonly<Record<CacheTier, { readonly nodeType: string; readonly replicas: number }>> = {
  Basic: { nodeType: 'cache.t4g.micro', replicas: 0 },
  Standard: { nodeType: 'cache.t4g.small', replicas: 1 },
  Premium: { nodeType: 'cache.r7g.large', replicas: 1 },
};

export interface CommerceSessionsProps {
  /** `commerce-<env>` (`-dr` in a DR copy). */
  readonly prefix: string;
  readonly vpcId: string;
  /** Where the nodes live: the VPC's isolated subnets, one per AZ. */
  readonly subnetIds: readonly string[];
  /** Encrypts the cache at rest and its AUTH token secret. */
  readonly kmsKeyArn: string;
  readonly tier: CacheTier;
  /** A replica in every other AZ of the VPC (`azCount`), failover automatic. */
  readonly multiAz: boolean;
  readonly azCount: number;
}

export class CommerceSessions extends Construct {
  public readonly cache: RedisReplicationGroup;
  /** The security group of the functions that read and write sessions. */
  public readonly clients: SecurityGroup;
  /** The environment a session client needs: where Redis is and where its AUTH token is kept. */
  public readonly environment: Readonly<Record<string, string>>;

  constructor(scope: Construct, id: string, props: CommerceSessionsProps) {
    super(scope, id);
    const size = SESSION_CACHE_SIZES[props.tier];
    this.clients = new SecurityGroup(this, 'clients', {
      vpcId: props.vpcId,
      description: `${props.prefix} session store clients: Redis (TLS) only`,
      tags: { Name: `${props.prefix}-session-clients` },
    });
    this.cache = new RedisReplicationGroup(this, 'cache', {
      name: `${props.prefix}-sessions`,
      vpcId: props.vpcId,
      subnetIds: props.subnetIds,
      allowedSecurityGroups: { 'session-clients': this.clients.securityGroupId },
      nodeType: size.nodeType,
      replicas: props.multiAz ? Math.max(size.replicas, props.azCount - 1) : size.replicas,
      kmsKeyArn: props.kmsKeyArn,
    });
    this.clients.addEgress({
      name: 'sessions',
      description: 'Redis session store (TLS)',
      fromPort: this.cache.port,
      peerSecurityGroupId: this.cache.securityGroupId,
    });
    this.environment = {
      SESSION_REDIS_HOST: this.cache.primaryEndpoint,
      SESSION_REDIS_PORT: String(this.cache.port),
      SESSION_REDIS_TLS: 'true',
      SESSION_REDIS_AUTH_TOKEN_SECRET_ARN: this.cache.authTokenSecretArn,
    };
  }
}
