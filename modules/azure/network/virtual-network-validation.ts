// Prop checks for VirtualNetwork: address space, subnet CIDRs, delegations and the gateway subnet.
import type { Construct } from 'constructs';
import { isUnresolved, PropProblems } from '../../core/validation.js';
import { contains, overlaps, parseCidr, type CidrRange } from '../../core/cidr.js';
import { checkName } from '../core/names.js';
import { checkPlacement } from '../core/placement.js';
import { inboundRuleProblems, type InboundRule } from './nsg-rules.js';
import { GATEWAY_SUBNET, SERVICE_ENDPOINTS, SUBNET_DELEGATIONS, type VirtualNetworkProps } from './virtual-network-props.js';

const SUBNET_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,78}[A-Za-z0-9_]?$/;

export function validateVirtualNetwork(scope: Construct, props: VirtualNetworkProps): void {
  const p = new PropProblems(scope, 'VirtualNetwork');
  checkPlacement(p, props);
  checkName(p, 'name', props.name, 'generic');
  p.check(props.addressSpace.length > 0, 'addressSpace must list at least one CIDR (got [])');
  const spaces: CidrRange[] = [];
  for (const cidr of props.addressSpace) {
    if (isUnresolved(cidr)) continue;
    const range = parseCidr(cidr);
    if (range === undefined)
      p.check(false, `addressSpace must hold canonical IPv4 CIDRs such as 10.30.0.0/20 (got ${JSON.stringify(cidr)})`);
    else spaces.push(range);
  }
  const names = Object.keys(props.subnets);
  p.check(names.length > 0, 'subnets must name at least one subnet (got {})');
  const placed: [string, CidrRange][] = [];
  for (const [name, subnet] of Object.entries(props.subnets)) {
    const at = `subnets.${name}`;
    p.check(SUBNET_NAME.test(name), `${at}: subnet names must be 1-80 letters, digits, _ . or - (got ${JSON.stringify(name)})`);
    p.oneOf(`${at}.delegation`, subnet.delegation, SUBNET_DELEGATIONS);
    for (const endpoint of subnet.serviceEndpoints ?? []) p.oneOf(`${at}.serviceEndpoints`, endpoint, SERVICE_ENDPOINTS);
    const priorities = new Map<number, string>();
    for (const [ruleName, rule] of Object.entries(subnet.inboundRules ?? {})) {
      for (const problem of ruleProblems(name, ruleName, rule, priorities)) p.check(false, problem);
      priorities.set(rule.priority, ruleName);
    }
    if (isUnresolved(subnet.cidr)) continue;
    const range = parseCidr(subnet.cidr);
    if (range === undefined) {
      p.check(false, `${at}.cidr must be a canonical IPv4 CIDR such as 10.30.1.0/24 (got ${JSON.stringify(subnet.cidr)})`);
      continue;
    }
    if (spaces.length > 0) {
      p.check(
        spaces.some((s) => contains(s, range)),
        `${at}.cidr must lie inside the address space ${JSON.stringify(props.addressSpace)} (got ${JSON.stringify(subnet.cidr)})`,
      );
    }
    p.check(
      range.prefix <= 29,
      `${at}.cidr must be /29 or larger: Azure reserves 5 addresses per subnet (got ${JSON.stringify(subnet.cidr)})`,
    );
    for (const [other, otherRange] of placed) {
      p.check(!overlaps(range, otherRange), `${at}.cidr must not overlap subnets.${other} (got ${JSON.stringify(subnet.cidr)})`);
    }
    placed.push([name, range]);
    if (name === GATEWAY_SUBNET) {
      p.check(range.prefix <= 27, `${at}.cidr must be /27 or larger for a VPN gateway (got ${JSON.stringify(subnet.cidr)})`);
      p.check(
        subnet.delegation === undefined,
        `${at}.delegation must be unset: the gateway subnet cannot be delegated (got ${JSON.stringify(subnet.delegation)})`,
      );
      p.check(
        Object.keys(subnet.inboundRules ?? {}).length === 0,
        `${at}.inboundRules must be empty: Azure does not support an NSG on the gateway subnet (got ${Object.keys(subnet.inboundRules ?? {}).join(', ')})`,
      );
      p.check(subnet.natGateway !== true, `${at}.natGateway must be unset: the gateway subnet cannot use a NAT gateway (got true)`);
    }
  }
  p.throwIfAny();
}

export const RULE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,79}$/;

/** Problems of one inbound rule of `subnet`, given the priorities already taken there. */
export function ruleProblems(subnet: string, ruleName: string, rule: InboundRule, taken: ReadonlyMap<number, string>): string[] {
  const at = `inboundRules.${subnet}.${ruleName}`;
  const problems = inboundRuleProblems(at, rule);
  if (!RULE_NAME.test(ruleName) || ruleName === 'deny-internet-inbound') {
    problems.push(
      `${at}: rule names must be 1-80 letters, digits, _ . or -, and not deny-internet-inbound (got ${JSON.stringify(ruleName)})`,
    );
  }
  const holder = taken.get(rule.priority);
  if (holder !== undefined) problems.push(`${at}.priority must be unique in the subnet (got ${rule.priority}, already used by ${holder})`);
  return problems;
}
