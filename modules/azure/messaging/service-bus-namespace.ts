// A Service Bus namespace with queues and topics keyed by name: Entra ID only, TLS 1.2, dead-lettering on.
import { Construct } from 'constructs';
import { RoleAssignment } from '@cdktf/provider-azurerm/lib/role-assignment/index.js';
import { ServicebusNamespace } from '@cdktf/provider-azurerm/lib/servicebus-namespace/index.js';
import { ServicebusQueue } from '@cdktf/provider-azurerm/lib/servicebus-queue/index.js';
import { ServicebusSubscription } from '@cdktf/provider-azurerm/lib/servicebus-subscription/index.js';
import { ServicebusTopic } from '@cdktf/provider-azurerm/lib/servicebus-topic/index.js';
import { PropProblems } from '../../core/validation.js';
import { checkPlacement } from '../core/placement.js';
import { PrivateEndpoint } from '../network/private-endpoint.js';
import type { ServiceBusNamespaceProps } from './service-bus-props.js';
import { validateServiceBus } from './service-bus-validation.js';

export { SERVICE_BUS_SKUS } from './service-bus-props.js';
export type { QueueOptions, ServiceBusNamespaceProps, ServiceBusSku, TopicOptions } from './service-bus-props.js';

export type ServiceBusRole = 'sender' | 'receiver' | 'owner';
const ROLE_NAMES: Record<ServiceBusRole, string> = {
  sender: 'Azure Service Bus Data Sender',
  receiver: 'Azure Service Bus Data Receiver',
  owner: 'Azure Service Bus Data Owner',
};

export class ServiceBusNamespace extends Construct {
  public readonly namespace: ServicebusNamespace;
  public readonly id: string;
  public readonly name: string;
  /** `https://<name>.servicebus.windows.net:443/`; clients use `<name>.servicebus.windows.net`. */
  public readonly endpoint: string;
  public readonly queues: Readonly<Record<string, ServicebusQueue>>;
  public readonly topics: Readonly<Record<string, ServicebusTopic>>;
  public readonly privateEndpoint?: PrivateEndpoint;

  constructor(scope: Construct, id: string, props: ServiceBusNamespaceProps) {
    super(scope, id);
    const sku = props.sku ?? 'Premium';
    const publicAccess = props.allowPublicNetworkAccess ?? false;
    const p = new PropProblems(this, 'ServiceBusNamespace');
    checkPlacement(p, props);
    validateServiceBus(p, props, sku, publicAccess);
    p.throwIfAny();

    const subnets = Object.values(props.allowedSubnetIds ?? {});
    const ipRanges = props.allowedIpRanges ?? [];
    // Public with no allow-list: no rule set (Azure's default, allow). Otherwise deny all but the lists.
    const restricted = !publicAccess || subnets.length > 0 || ipRanges.length > 0;
    this.namespace = new ServicebusNamespace(this, 'namespace', {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      sku,
      capacity: sku === 'Premium' ? (props.capacity ?? 1) : undefined,
      premiumMessagingPartitions: sku === 'Premium' ? 1 : undefined,
      localAuthEnabled: props.allowLocalAuth ?? false,
      minimumTlsVersion: '1.2',
      publicNetworkAccessEnabled: publicAccess,
      networkRuleSet: restricted
        ? {
            defaultAction: 'Deny',
            publicNetworkAccessEnabled: publicAccess,
            trustedServicesAllowed: true,
            ipRules: ipRanges.length === 0 ? undefined : [...ipRanges],
            networkRules: subnets.length === 0 ? undefined : subnets.map((subnetId) => ({ subnetId })),
          }
        : undefined,
    });
    this.id = this.namespace.id;
    this.name = this.namespace.name;
    this.endpoint = this.namespace.endpoint;

    const queues: Record<string, ServicebusQueue> = {};
    for (const [name, q] of Object.entries(props.queues ?? {})) {
      queues[name] = new ServicebusQueue(this, `queue-${name}`, {
        name,
        namespaceId: this.namespace.id,
        maxDeliveryCount: q.maxDeliveryCount ?? 10,
        lockDuration: q.lockDuration ?? 'PT1M',
        defaultMessageTtl: q.defaultMessageTtl ?? 'P14D',
        deadLetteringOnMessageExpiration: true,
        requiresDuplicateDetection: q.duplicateDetection ?? false,
        requiresSession: q.requiresSession ?? false,
      });
    }
    this.queues = queues;

    const topics: Record<string, ServicebusTopic> = {};
    for (const [name, t] of Object.entries(props.topics ?? {})) {
      const topic = new ServicebusTopic(this, `topic-${name}`, {
        name,
        namespaceId: this.namespace.id,
        defaultMessageTtl: t.defaultMessageTtl ?? 'P14D',
        requiresDuplicateDetection: t.duplicateDetection ?? false,
      });
      topics[name] = topic;
      for (const [subName, s] of Object.entries(t.subscriptions)) {
        new ServicebusSubscription(this, `topic-${name}-subscription-${subName}`, {
          name: subName,
          topicId: topic.id,
          maxDeliveryCount: s.maxDeliveryCount ?? 10,
          lockDuration: s.lockDuration ?? 'PT1M',
          defaultMessageTtl: s.defaultMessageTtl ?? 'P14D',
          deadLetteringOnMessageExpiration: true,
          deadLetteringOnFilterEvaluationError: true,
          requiresSession: s.requiresSession ?? false,
        });
      }
    }
    this.topics = topics;

    if (props.privateLink !== undefined) {
      this.privateEndpoint = new PrivateEndpoint(this, 'private-endpoint', {
        resourceGroupName: props.resourceGroupName,
        location: props.location,
        name: `${props.name}-pe`,
        targetResourceId: this.namespace.id,
        subresource: 'namespace',
        ...props.privateLink,
      });
    }
  }

  /**
   * Grants an Entra ID principal a data role on one queue or topic (or the whole namespace when
   * `entity` is omitted). `grantName` keys the assignment.
   */
  public grant(grantName: string, principalId: string, role: ServiceBusRole, entity?: string): RoleAssignment {
    const p = new PropProblems(this, 'ServiceBusNamespace');
    p.oneOf(`grant ${grantName} role`, role, Object.keys(ROLE_NAMES) as ServiceBusRole[]);
    const scope = entity === undefined ? this.namespace.id : (this.queues[entity]?.id ?? this.topics[entity]?.id);
    p.check(
      scope !== undefined,
      `grant ${grantName}: entity must be a queue or topic of the namespace (got ${JSON.stringify(entity)}; have ${[...Object.keys(this.queues), ...Object.keys(this.topics)].join(', ') || 'none'})`,
    );
    p.check(
      this.node.tryFindChild(`grant-${grantName}`) === undefined,
      `grant names must be unique (got ${JSON.stringify(grantName)} twice)`,
    );
    p.throwIfAny();
    return new RoleAssignment(this, `grant-${grantName}`, {
      scope: scope!,
      principalId,
      roleDefinitionName: ROLE_NAMES[role],
      principalType: 'ServicePrincipal',
    });
  }
}
