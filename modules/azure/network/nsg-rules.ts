// Inbound NSG rules as props, and the checks that keep admin and database ports off the internet.
import { isUnresolved } from '../../core/validation.js';
import { parseCidr } from '../../core/cidr.js';

export interface InboundRule {
  /** 100-4095, unique within the subnet; lower numbers are evaluated first. */
  readonly priority: number;
  /** CIDRs or service tags such as `VirtualNetwork` or `AzureFrontDoor.Backend`. */
  readonly sources: readonly string[];
  /** Destination ports: `443`, `8000-8100`. */
  readonly ports: readonly string[];
  /** @default 'Tcp' */
  readonly protocol?: 'Tcp' | 'Udp' | 'Icmp' | '*';
}

/** Remote administration and database ports: never reachable from the internet. */
export const ADMIN_AND_DATABASE_PORTS: Readonly<Record<number, string>> = {
  21: 'FTP',
  22: 'SSH',
  23: 'Telnet',
  135: 'RPC',
  445: 'SMB',
  1433: 'SQL Server',
  1434: 'SQL Server browser',
  3306: 'MySQL',
  3389: 'RDP',
  5432: 'PostgreSQL',
  5985: 'WinRM',
  5986: 'WinRM',
  6379: 'Redis',
  6380: 'Redis TLS',
  27017: 'MongoDB',
};

/** Sources that mean "anyone on the internet". */
const INTERNET_SOURCES = ['*', 'Internet', 'Any', '0.0.0.0/0'];
const SERVICE_TAG = /^[A-Za-z][A-Za-z0-9]*(\.[A-Za-z0-9]+)*$/;
const PORT = /^(\d{1,5})(?:-(\d{1,5}))?$/;

/** Every problem of one rule, each naming `inboundRules.<subnet>.<rule>`. */
export function inboundRuleProblems(at: string, rule: InboundRule): string[] {
  const problems: string[] = [];
  if (!isUnresolved(rule.priority) && !(Number.isInteger(rule.priority) && rule.priority >= 100 && rule.priority <= 4095)) {
    problems.push(`${at}.priority must be an integer between 100 and 4095 (got ${rule.priority}; 4096 is the built-in internet deny)`);
  }
  if (rule.sources.length === 0) problems.push(`${at}.sources must name at least one CIDR or service tag (got [])`);
  for (const source of rule.sources) {
    if (isUnresolved(source) || INTERNET_SOURCES.includes(source)) continue;
    if (parseCidr(source) === undefined && !SERVICE_TAG.test(source)) {
      problems.push(`${at}.sources must be canonical IPv4 CIDRs or service tags such as VirtualNetwork (got ${JSON.stringify(source)})`);
    }
  }
  const ranges: [number, number][] = [];
  if (rule.ports.length === 0) problems.push(`${at}.ports must list at least one port or range (got [])`);
  for (const port of rule.ports) {
    if (isUnresolved(port)) continue;
    const range = portRange(port);
    if (range === undefined)
      problems.push(`${at}.ports must be "*", a port or a range such as 8000-8100 within 1-65535 (got ${JSON.stringify(port)})`);
    else ranges.push(range);
  }
  const fromInternet = rule.sources.filter((s) => INTERNET_SOURCES.includes(s));
  if (fromInternet.length > 0) {
    const exposed = Object.entries(ADMIN_AND_DATABASE_PORTS).filter(([p]) => ranges.some(([lo, hi]) => Number(p) >= lo && Number(p) <= hi));
    if (exposed.length > 0) {
      problems.push(
        `${at} opens admin/database ports to the internet (sources ${JSON.stringify(fromInternet)}, ports ${JSON.stringify(rule.ports)} include ${exposed
          .map(([p, what]) => `${p} ${what}`)
          .join(', ')}); reach them over the VPN or a private endpoint instead`,
      );
    }
  }
  return problems;
}

function portRange(port: string): [number, number] | undefined {
  if (port === '*') return [1, 65535];
  const m = PORT.exec(port);
  if (!m) return undefined;
  const lo = Number(m[1]);
  const hi = m[2] === undefined ? lo : Number(m[2]);
  return lo >= 1 && hi <= 65535 && lo <= hi ? [lo, hi] : undefined;
}
