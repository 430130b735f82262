// Prop checks for ServiceBusNamespace: tier limits, network access, queue and topic settings.
import { isUnresolved, type PropProblems } from '../../core/validation.js';
import { parseCidr } from '../../core/cidr.js';
import { checkName } from '../core/names.js';
import type { QueueOptions, ServiceBusNamespaceProps, ServiceBusSku } from './service-bus-props.js';

const DURATION = /^P(?!$)(\d+D)?(T(?=\d)(\d+H)?(\d+M)?(\d+S)?)?$/;

export function validateServiceBus(p: PropProblems, props: ServiceBusNamespaceProps, sku: ServiceBusSku, publicAccess: boolean): void {
  checkName(p, 'name', props.name, 'serviceBusNamespace');
  p.oneOf('sku', sku, ['Basic', 'Standard', 'Premium'] as const);
  p.check(
    sku === 'Premium' || publicAccess,
    `sku ${JSON.stringify(sku)} cannot turn the public endpoint off: use sku "Premium", or set allowPublicNetworkAccess: true and waive CKV_AZURE_204 for this environment`,
  );
  p.check(sku === 'Premium' || props.privateLink === undefined, `privateLink needs sku "Premium" (got ${JSON.stringify(sku)})`);
  p.check(sku === 'Premium' || props.capacity === undefined, `capacity (messaging units) needs sku "Premium" (got ${JSON.stringify(sku)})`);
  p.oneOf('capacity', props.capacity, [1, 2, 4, 8, 16]);
  p.check(
    props.allowedIpRanges === undefined || (publicAccess && sku !== 'Basic'),
    `allowedIpRanges needs allowPublicNetworkAccess: true and sku Standard or Premium (got sku ${JSON.stringify(sku)}, allowPublicNetworkAccess ${publicAccess})`,
  );
  const subnets = Object.keys(props.allowedSubnetIds ?? {});
  p.check(
    subnets.length === 0 || (publicAccess && sku === 'Premium'),
    `allowedSubnetIds needs allowPublicNetworkAccess: true and sku Premium (got sku ${JSON.stringify(sku)}, allowPublicNetworkAccess ${publicAccess}, subnets ${subnets.join(', ')})`,
  );
  for (const cidr of props.allowedIpRanges ?? []) {
    p.check(
      isUnresolved(cidr) || parseCidr(cidr) !== undefined,
      `allowedIpRanges must hold canonical IPv4 CIDRs (got ${JSON.stringify(cidr)})`,
    );
  }
  const topics = Object.keys(props.topics ?? {});
  p.check(sku !== 'Basic' || topics.length === 0, `topics need sku Standard or Premium (got sku "Basic" with topics ${topics.join(', ')})`);
  for (const [name, q] of Object.entries(props.queues ?? {})) {
    checkName(p, `queues.${name}`, name, 'child');
    checkEntity(p, `queues.${name}`, q, sku);
    p.check(
      sku !== 'Basic' || q.duplicateDetection !== true,
      `queues.${name}.duplicateDetection needs sku Standard or Premium (got "Basic")`,
    );
  }
  for (const [name, t] of Object.entries(props.topics ?? {})) {
    checkName(p, `topics.${name}`, name, 'child');
    p.matches(`topics.${name}.defaultMessageTtl`, t.defaultMessageTtl, DURATION, 'an ISO 8601 duration such as P14D or PT1H');
    p.check(!(name in (props.queues ?? {})), `topics.${name}: a queue has the same name; entity names are unique per namespace`);
    const subscriptions = Object.entries(t.subscriptions);
    p.check(
      subscriptions.length > 0,
      `topics.${name}.subscriptions must name at least one subscription (got {}): messages to a topic without subscriptions are lost`,
    );
    for (const [subName, s] of subscriptions) {
      p.matches(
        `topics.${name}.subscriptions.${subName}`,
        subName,
        /^[A-Za-z0-9][A-Za-z0-9._-]{0,49}$/,
        '1-50 letters, digits, periods, hyphens or underscores',
      );
      checkEntity(p, `topics.${name}.subscriptions.${subName}`, s, sku);
    }
  }
}

function checkEntity(p: PropProblems, at: string, e: Omit<QueueOptions, 'duplicateDetection'>, sku: ServiceBusSku): void {
  p.range(`${at}.maxDeliveryCount`, e.maxDeliveryCount, 1, 2000);
  p.matches(`${at}.lockDuration`, e.lockDuration, DURATION, 'an ISO 8601 duration such as PT30S or PT1M');
  if (e.lockDuration !== undefined && DURATION.test(e.lockDuration)) {
    const seconds = durationSeconds(e.lockDuration);
    p.check(seconds >= 5 && seconds <= 300, `${at}.lockDuration must be between PT5S and PT5M (got ${JSON.stringify(e.lockDuration)})`);
  }
  p.matches(`${at}.defaultMessageTtl`, e.defaultMessageTtl, DURATION, 'an ISO 8601 duration such as P14D or PT1H');
  p.check(sku !== 'Basic' || e.requiresSession !== true, `${at}.requiresSession needs sku Standard or Premium (got "Basic")`);
}

/** Seconds in a day-time ISO 8601 duration (`P1DT2H3M4S`). */
export function durationSeconds(duration: string): number {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$/.exec(duration);
  if (!m) return NaN;
  const [, d, h, min, s] = m.map((x) => Number(x ?? 0));
  return d! * 86400 + h! * 3600 + min! * 60 + s!;
}
