import { Testing } from 'cdktf';
import { RedisCache as AzureRedisCache } from '@cdktf/provider-azurerm/lib/redis-cache/index.js';
import { PrivateDnsZones } from '../network/private-dns-zones.js';
import { errorOf, onlyResource, PLACEMENT, policyFailures, rulesChecked, synth } from '../../../test/modules/azure-synth.js';
import { RedisCache, type RedisCacheProps } from './redis-cache.js';

const BASE: RedisCacheProps = { ...PLACEMENT, name: 'commerce-redis' };
const build = (props: Partial<RedisCacheProps> = {}) => synth((scope) => new RedisCache(scope, 'redis', { ...BASE, ...props }));

describe('RedisCache', () => {
  test('GIVEN only a name WHEN synthesized THEN a Standard C1 cache with TLS 1.2 only, Entra ID auth and no public endpoint', () => {
    expect(Testing.synthScope((scope) => new RedisCache(scope, 'redis', BASE))).toHaveResourceWithProperties(AzureRedisCache, {
      name: 'commerce-redis',
      sku_name: 'Standard',
      family: 'C',
      capacity: 1,
      redis_version: '6',
      non_ssl_port_enabled: false,
      minimum_tls_version: '1.2',
      public_network_access_enabled: false,
      access_keys_authentication_enabled: false,
      redis_configuration: { active_directory_authentication_enabled: true },
    });
    expect(onlyResource(build(), 'azurerm_redis_cache').zones).toBeUndefined();
  });

  test('GIVEN Premium with zone redundancy, a patch window and a private endpoint WHEN synthesized THEN they follow the props', () => {
    const s = synth((scope) => {
      const zones = new PrivateDnsZones(scope, 'dns', { resourceGroupName: 'rg', virtualNetworkIds: { vnet: 'v' } });
      new RedisCache(scope, 'redis', {
        ...BASE,
        sku: 'Premium',
        capacity: 2,
        zoneRedundant: true,
        patchWindow: { dayOfWeek: 'Sunday', startHourUtc: 2 },
        privateLink: { subnetId: 'pe', dnsZones: zones },
      });
    });
    expect(onlyResource(s, 'azurerm_redis_cache')).toMatchObject({
      sku_name: 'Premium',
      family: 'P',
      capacity: 2,
      zones: ['1', '2', '3'],
      replicas_per_primary: 2,
      patch_schedule: [{ day_of_week: 'Sunday', start_hour_utc: 2 }],
    });
    expect(onlyResource(s, 'azurerm_private_endpoint').private_service_connection).toMatchObject({ subresource_names: ['redisCache'] });
    expect(onlyResource(s, 'azurerm_private_dns_zone').name).toBe('privatelink.redis.cache.windows.net');
  });

  test('GIVEN the explicit insecure choices WHEN synthesized THEN the public endpoint and access keys are on and the gate reports CKV_AZURE_89', () => {
    const s = build({ sku: 'Basic', capacity: 0, allowPublicNetworkAccess: true, allowAccessKeys: true });
    expect(onlyResource(s, 'azurerm_redis_cache')).toMatchObject({
      sku_name: 'Basic',
      family: 'C',
      capacity: 0,
      public_network_access_enabled: true,
      access_keys_authentication_enabled: true,
    });
    expect(policyFailures(s)).toEqual([
      expect.stringMatching(/^CKV_AZURE_89 azurerm_redis_cache\.redis_cache_[0-9A-F]{8}: public_network_access_enabled is true$/),
    ]);
  });

  test('GIVEN bad props WHEN constructed THEN one error lists every problem', () => {
    const message = errorOf(() =>
      build({
        name: 'Commerce_Redis',
        sku: 'Standard',
        capacity: 7,
        zoneRedundant: true,
        patchWindow: { dayOfWeek: 'Funday' as never, startHourUtc: 24 },
      }),
    );
    for (const expected of [
      'name must be 1-63 lowercase letters, digits or hyphens',
      'capacity must be an integer between 0 and 6 (got 7)',
      'zoneRedundant needs sku "Premium" (got "Standard")',
      'patchWindow.dayOfWeek must be one of "Monday"',
      'patchWindow.startHourUtc must be an integer between 0 and 23 (got 24)',
    ]) {
      expect(message).toContain(expected);
    }
    expect(errorOf(() => build({ sku: 'Premium', capacity: 0 }))).toContain('capacity must be an integer between 1 and 5 (got 0)');
    expect(errorOf(() => build({ sku: 'Enterprise' as never }))).toContain(
      'sku must be one of "Basic", "Standard", "Premium" (got "Enterprise")',
    );
  });

  test('GIVEN the defaults WHEN the policy gate runs THEN CKV_AZURE_91 and CKV_AZURE_89 check the cache and pass', () => {
    const s = build();
    expect(policyFailures(s)).toEqual([]);
    expect(rulesChecked(s)).toEqual(['CKV_AZURE_89', 'CKV_AZURE_91']);
  });
});
