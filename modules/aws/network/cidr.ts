// IPv4 CIDR arithmetic done in TypeScript so subnet CIDRs are literal in the plan (and testable);
// a CIDR that is still a token falls back to Terraform's cidrsubnet().
import { Fn, Token } from 'cdktf';

export interface Ipv4Cidr {
  /** Network address as an unsigned 32-bit integer. */
  readonly network: number;
  readonly prefix: number;
}

const CIDR_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;

/** Parses `a.b.c.d/n`; undefined when malformed. Host bits may be set (see `isCanonical`). */
export function parseIpv4Cidr(cidr: string): { address: number; prefix: number } | undefined {
  const m = CIDR_PATTERN.exec(cidr);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const address = octets.reduce((acc, o) => acc * 256 + o, 0);
  return { address, prefix };
}

function mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

/** The canonical form of a CIDR (host bits cleared), e.g. 10.0.1.0/16 → 10.0.0.0/16. */
export function canonicalIpv4Cidr(cidr: string): string | undefined {
  const parsed = parseIpv4Cidr(cidr);
  if (!parsed) return undefined;
  return formatIpv4Cidr({ network: (parsed.address & mask(parsed.prefix)) >>> 0, prefix: parsed.prefix });
}

export function formatIpv4Cidr(cidr: Ipv4Cidr): string {
  const n = cidr.network;
  return `${n >>> 24}.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}/${cidr.prefix}`;
}

/** Same result as Terraform's `cidrsubnet(cidr, newBits, netNum)`. */
export function cidrSubnet(cidr: string, newBits: number, netNum: number): string {
  if (Token.isUnresolved(cidr)) return Fn.cidrsubnet(cidr, newBits, netNum);
  const parsed = parseIpv4Cidr(cidr);
  if (!parsed) throw new Error(`cidrSubnet: ${JSON.stringify(cidr)} is not an IPv4 CIDR`);
  const prefix = parsed.prefix + newBits;
  if (prefix > 32 || netNum < 0 || netNum >= 2 ** newBits) {
    throw new Error(`cidrSubnet: netNum ${netNum} does not fit ${newBits} new bits of ${cidr}`);
  }
  const network = ((parsed.address & mask(parsed.prefix)) + netNum * 2 ** (32 - prefix)) >>> 0;
  return formatIpv4Cidr({ network, prefix });
}

/** True for a CIDR that matches every address (0.0.0.0/0, ::/0, or any /0). */
export function isAnyAddress(cidr: string): boolean {
  return /\/0$/.test(cidr.trim());
}
