// Azure Cache for Redis: TLS 1.2 only, Entra ID authentication, private by default.
import { Construct } from 'constructs';
import { RedisCache as AzureRedisCache } from '@cdktf/provider-azurerm/lib/redis-cache/index.js';
import { PropProblems } from '../../core/validation.js';
import { checkName } from '../core/names.js';
import { checkPlacement, type Placement } from '../core/placement.js';
import type { PrivateLinkOptions } from '../network/private-endpoint.js';
import { PrivateEndpoint } from '../network/private-endpoint.js';

export const REDIS_SKUS = ['Basic', 'Standard', 'Premium'] as const;
export type RedisSku = (typeof REDIS_SKUS)[number];
const DAYS = ['Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday'] as const;

export interface RedisCacheProps extends Placement {
  /** 1-63 lowercase letters, digits or hyphens, globally unique. */
  readonly name: string;
  /** `Basic` has one node and no SLA; `Standard` adds a replica; `Premium` adds zones and VNet features. @default 'Standard' */
  readonly sku?: RedisSku;
  /** Size: 0-6 for Basic/Standard (C0-C6), 1-5 for Premium (P1-P5). @default 1 */
  readonly capacity?: number;
  /** Spread the primary and two replicas over zones 1-3 (Premium only). @default false */
  readonly zoneRedundant?: boolean;
  /** Private endpoint in this subnet, registered in privatelink.redis.cache.windows.net. @default none */
  readonly privateLink?: PrivateLinkOptions;
  /** Let the public endpoint answer (TLS still required). The insecure choice. @default false */
  readonly allowPublicNetworkAccess?: boolean;
  /** Accept the access keys besides Entra ID tokens. @default false: Entra ID only, nothing to leak */
  readonly allowAccessKeys?: boolean;
  /** Weekly maintenance window. @default Azure picks */
  readonly patchWindow?: { readonly dayOfWeek: (typeof DAYS)[number]; readonly startHourUtc: number };
}

export class RedisCache extends Construct {
  public readonly cache: AzureRedisCache;
  public readonly id: string;
  public readonly hostName: string;
  /** The TLS port (the plain-text port is closed). */
  public readonly sslPort: number;
  public readonly privateEndpoint?: PrivateEndpoint;

  constructor(scope: Construct, id: string, props: RedisCacheProps) {
    super(scope, id);
    const sku = props.sku ?? 'Standard';
    const zoneRedundant = props.zoneRedundant ?? false;
    validate(this, props, sku, zoneRedundant);

    this.cache = new AzureRedisCache(this, 'cache', {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      skuName: sku,
      family: sku === 'Premium' ? 'P' : 'C',
      capacity: props.capacity ?? 1,
      redisVersion: '6',
      nonSslPortEnabled: false,
      minimumTlsVersion: '1.2',
      publicNetworkAccessEnabled: props.allowPublicNetworkAccess ?? false,
      accessKeysAuthenticationEnabled: props.allowAccessKeys ?? false,
      redisConfiguration: { activeDirectoryAuthenticationEnabled: true },
      zones: zoneRedundant ? ['1', '2', '3'] : undefined,
      replicasPerPrimary: zoneRedundant ? 2 : undefined,
      patchSchedule:
        props.patchWindow === undefined
          ? undefined
          : [{ dayOfWeek: props.patchWindow.dayOfWeek, startHourUtc: props.patchWindow.startHourUtc }],
    });
    this.id = this.cache.id;
    this.hostName = this.cache.hostname;
    this.sslPort = 6380;

    if (props.privateLink !== undefined) {
      this.privateEndpoint = new PrivateEndpoint(this, 'private-endpoint', {
        resourceGroupName: props.resourceGroupName,
        location: props.location,
        name: `${props.name}-pe`,
        targetResourceId: this.cache.id,
        subresource: 'redisCache',
        ...props.privateLink,
      });
    }
  }
}

function validate(scope: Construct, props: RedisCacheProps, sku: RedisSku, zoneRedundant: boolean): void {
  const p = new PropProblems(scope, 'RedisCache');
  checkPlacement(p, props);
  checkName(p, 'name', props.name, 'redisCache');
  p.oneOf('sku', sku, REDIS_SKUS);
  if (sku === 'Premium') p.range('capacity', props.capacity, 1, 5);
  else p.range('capacity', props.capacity, 0, 6);
  p.check(!zoneRedundant || sku === 'Premium', `zoneRedundant needs sku "Premium" (got ${JSON.stringify(sku)})`);
  p.oneOf('patchWindow.dayOfWeek', props.patchWindow?.dayOfWeek, DAYS);
  p.range('patchWindow.startHourUtc', props.patchWindow?.startHourUtc, 0, 23);
  p.throwIfAny();
}
