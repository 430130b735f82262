import { Testing } from 'cdktf';
import { ServicebusNamespace } from '@cdktf/provider-azurerm/lib/servicebus-namespace/index.js';
import { evaluatePolicy } from '../../policy/engine.js';
import { PrivateDnsZones } from '../network/private-dns-zones.js';
import {
  errorOf,
  onlyResource,
  PLACEMENT,
  policyFailures,
  resourcesOf,
  rulesChecked,
  stack,
  synth,
} from '../../../test/modules/azure-synth.js';
import { ServiceBusNamespace, type ServiceBusNamespaceProps } from './service-bus-namespace.js';
import { durationSeconds } from './service-bus-validation.js';

const BASE: ServiceBusNamespaceProps = { ...PLACEMENT, name: 'commerce-bus', queues: { payments: {} } };
const build = (props: Partial<ServiceBusNamespaceProps> = {}) =>
  synth((scope) => new ServiceBusNamespace(scope, 'bus', { ...BASE, ...props }));

describe('ServiceBusNamespace', () => {
  test('GIVEN defaults WHEN synthesized THEN a Premium namespace without SAS keys, with TLS 1.2 and the public endpoint off', () => {
    expect(Testing.synthScope((scope) => new ServiceBusNamespace(scope, 'bus', BASE))).toHaveResourceWithProperties(ServicebusNamespace, {
      name: 'commerce-bus',
      sku: 'Premium',
      capacity: 1,
      premium_messaging_partitions: 1,
      local_auth_enabled: false,
      minimum_tls_version: '1.2',
      public_network_access_enabled: false,
      network_rule_set: { default_action: 'Deny', public_network_access_enabled: false, trusted_services_allowed: true },
    });
  });

  test('GIVEN a queue with defaults WHEN synthesized THEN expired messages are dead-lettered after at most 10 deliveries', () => {
    expect(onlyResource(build(), 'azurerm_servicebus_queue')).toMatchObject({
      name: 'payments',
      max_delivery_count: 10,
      lock_duration: 'PT1M',
      default_message_ttl: 'P14D',
      dead_lettering_on_message_expiration: true,
      requires_duplicate_detection: false,
      requires_session: false,
    });
  });

  test('GIVEN topics with subscriptions and tuned queues WHEN synthesized THEN each entity is keyed by name and dead-letters', () => {
    const s = build({
      queues: {
        payments: { maxDeliveryCount: 5, lockDuration: 'PT30S', defaultMessageTtl: 'P1D', duplicateDetection: true, requiresSession: true },
      },
      topics: { orders: { subscriptions: { billing: { maxDeliveryCount: 3 }, shipping: {} } } },
    });
    expect(onlyResource(s, 'azurerm_servicebus_queue')).toMatchObject({
      max_delivery_count: 5,
      lock_duration: 'PT30S',
      requires_duplicate_detection: true,
      requires_session: true,
    });
    expect(onlyResource(s, 'azurerm_servicebus_topic')).toMatchObject({ name: 'orders', default_message_ttl: 'P14D' });
    const subs = Object.values(resourcesOf(s, 'azurerm_servicebus_subscription'));
    expect(
      subs.map((x) => [x.name, x.max_delivery_count, x.dead_lettering_on_message_expiration, x.dead_lettering_on_filter_evaluation_error]),
    ).toEqual([
      ['billing', 3, true, true],
      ['shipping', 10, true, true],
    ]);
  });

  test('GIVEN privateLink WHEN synthesized THEN a private endpoint on the namespace registers in privatelink.servicebus.windows.net', () => {
    const s = synth((scope) => {
      const zones = new PrivateDnsZones(scope, 'dns', { resourceGroupName: 'rg', virtualNetworkIds: { vnet: 'v' } });
      new ServiceBusNamespace(scope, 'bus', { ...BASE, privateLink: { subnetId: 'pe', dnsZones: zones } });
    });
    expect(onlyResource(s, 'azurerm_private_endpoint').private_service_connection).toMatchObject({ subresource_names: ['namespace'] });
    expect(onlyResource(s, 'azurerm_private_dns_zone').name).toBe('privatelink.servicebus.windows.net');
  });

  test('GIVEN Standard without the explicit public-access prop WHEN constructed THEN it throws and points at the waiver path', () => {
    expect(errorOf(() => build({ sku: 'Standard' }))).toBe(
      'ServiceBusNamespace stack/bus: sku "Standard" cannot turn the public endpoint off: use sku "Premium", or set allowPublicNetworkAccess: true and waive CKV_AZURE_204 for this environment',
    );
  });

  test('GIVEN Standard with allowPublicNetworkAccess WHEN the policy gate runs THEN only CKV_AZURE_204 fails, and a waiver for that address clears it', () => {
    const s = build({ sku: 'Standard', allowPublicNetworkAccess: true });
    const namespace = onlyResource(s, 'azurerm_servicebus_namespace');
    expect(namespace).toMatchObject({
      sku: 'Standard',
      public_network_access_enabled: true,
      local_auth_enabled: false,
      minimum_tls_version: '1.2',
    });
    expect(namespace.capacity).toBeUndefined();
    expect(namespace.network_rule_set).toBeUndefined();
    const failures = policyFailures(s);
    expect(failures).toEqual([
      expect.stringMatching(
        /^CKV_AZURE_204 azurerm_servicebus_namespace\.bus_namespace_[0-9A-F]{8}: public_network_access_enabled is true$/,
      ),
    ]);
    const address = failures[0]!.split(' ')[1]!.replace(/:$/, '');
    expect(rulesChecked(s)).toEqual(['CKV_AZURE_203', 'CKV_AZURE_204', 'CKV_AZURE_205']);
    const report = evaluatePolicy([{ name: 'commerce-dev', environment: 'dev', json: s }], {
      dev: {
        level: 'error',
        waivers: [
          {
            rule: 'CKV_AZURE_204',
            resource: `commerce-dev.${address}`,
            reason: 'Standard tier cannot disable public access; Entra ID only',
          },
        ],
      },
    });
    expect(report.findings.filter((f) => f.rule === 'CKV_AZURE_204').map((f) => f.verdict)).toEqual(['waived']);
    expect(report.waivers.map((w) => w.matched)).toEqual([true]);
  });

  test('GIVEN Standard with IP ranges WHEN synthesized THEN the network rule set denies everything else', () => {
    expect(
      onlyResource(
        build({ sku: 'Standard', allowPublicNetworkAccess: true, allowedIpRanges: ['203.0.113.0/24'] }),
        'azurerm_servicebus_namespace',
      ).network_rule_set,
    ).toEqual({
      default_action: 'Deny',
      public_network_access_enabled: true,
      trusted_services_allowed: true,
      ip_rules: ['203.0.113.0/24'],
    });
  });

  test('GIVEN Premium with public access WHEN synthesized THEN named subnets are the only way in, and without lists the rule set is left out', () => {
    expect(
      onlyResource(build({ allowPublicNetworkAccess: true, allowedSubnetIds: { functions: 'fn-subnet' } }), 'azurerm_servicebus_namespace')
        .network_rule_set,
    ).toEqual({
      default_action: 'Deny',
      public_network_access_enabled: true,
      trusted_services_allowed: true,
      network_rules: [{ subnet_id: 'fn-subnet' }],
    });
    expect(onlyResource(build({ allowPublicNetworkAccess: true }), 'azurerm_servicebus_namespace').network_rule_set).toBeUndefined();
    expect(errorOf(() => build({ sku: 'Standard', allowPublicNetworkAccess: true, allowedSubnetIds: { functions: 'fn' } }))).toContain(
      'allowedSubnetIds needs allowPublicNetworkAccess: true and sku Premium (got sku "Standard", allowPublicNetworkAccess true, subnets functions)',
    );
  });

  test('GIVEN grants WHEN synthesized THEN data roles are scoped to the named queue or the namespace; unknown entities and duplicate names throw', () => {
    const bus = new ServiceBusNamespace(stack(), 'bus', BASE);
    bus.grant('processor-receives', 'principal-1', 'receiver', 'payments');
    bus.grant('ops-owns', 'principal-2', 'owner');
    expect(() => bus.grant('x', 'p', 'sender', 'nope')).toThrow(
      'grant x: entity must be a queue or topic of the namespace (got "nope"; have payments)',
    );
    expect(() => bus.grant('ops-owns', 'p', 'owner')).toThrow('grant names must be unique (got "ops-owns" twice)');
    const s = synth((scope) => {
      const b = new ServiceBusNamespace(scope, 'bus', BASE);
      b.grant('processor-receives', 'principal-1', 'receiver', 'payments');
      b.grant('ops-owns', 'principal-2', 'owner');
    });
    expect(
      Object.values(resourcesOf(s, 'azurerm_role_assignment'))
        .map((r) => [r.role_definition_name, r.principal_id, String(r.scope).replace(/_[0-9A-F]{8}/, '')])
        .sort(),
    ).toEqual([
      ['Azure Service Bus Data Owner', 'principal-2', '${azurerm_servicebus_namespace.bus_namespace.id}'],
      ['Azure Service Bus Data Receiver', 'principal-1', '${azurerm_servicebus_queue.bus_queue-payments.id}'],
    ]);
  });

  test('GIVEN bad props WHEN constructed THEN one error lists every problem', () => {
    const message = errorOf(() =>
      build({
        name: '1bus',
        sku: 'Basic',
        capacity: 3,
        allowedIpRanges: ['10.0.0.1/8'],
        queues: {
          'bad queue': {
            maxDeliveryCount: 0,
            lockDuration: 'PT10M',
            defaultMessageTtl: '14 days',
            duplicateDetection: true,
            requiresSession: true,
          },
        },
        topics: { events: { subscriptions: {} } },
      }),
    );
    for (const expected of [
      'name must be 6-50 lowercase letters, digits or hyphens, starting with a letter (globally unique) (got "1bus")',
      'sku "Basic" cannot turn the public endpoint off',
      'capacity (messaging units) needs sku "Premium" (got "Basic")',
      'capacity must be one of 1, 2, 4, 8, 16 (got 3)',
      'allowedIpRanges needs allowPublicNetworkAccess: true and sku Standard or Premium (got sku "Basic", allowPublicNetworkAccess false)',
      'allowedIpRanges must hold canonical IPv4 CIDRs (got "10.0.0.1/8")',
      'topics need sku Standard or Premium (got sku "Basic" with topics events)',
      'queues.bad queue must be 1-128 letters, digits, periods, hyphens or underscores',
      'queues.bad queue.maxDeliveryCount must be an integer between 1 and 2000 (got 0)',
      'queues.bad queue.lockDuration must be between PT5S and PT5M (got "PT10M")',
      'queues.bad queue.defaultMessageTtl must be an ISO 8601 duration such as P14D or PT1H (got "14 days")',
      'queues.bad queue.requiresSession needs sku Standard or Premium (got "Basic")',
      'queues.bad queue.duplicateDetection needs sku Standard or Premium (got "Basic")',
      'topics.events.subscriptions must name at least one subscription (got {}): messages to a topic without subscriptions are lost',
    ]) {
      expect(message).toContain(expected);
    }
  });

  test('GIVEN durations WHEN converted THEN days, hours, minutes and seconds add up', () => {
    expect(durationSeconds('P1DT2H3M4S')).toBe(93784);
    expect(durationSeconds('PT5M')).toBe(300);
    expect(durationSeconds('5 minutes')).toBeNaN();
  });

  test('GIVEN the defaults WHEN the policy gate runs THEN CKV_AZURE_203, 204 and 205 check the namespace and pass', () => {
    const s = build();
    expect(policyFailures(s)).toEqual([]);
    expect(rulesChecked(s)).toEqual(['CKV_AZURE_203', 'CKV_AZURE_204', 'CKV_AZURE_205']);
  });
});
