// IPv4 CIDR maths for the constructs (AWS and Azure) and the environment files, on ipaddr.js: parse,
// canonical form, ranges, containment, overlap and carving a block into smaller ones.
// No cdktf here: `gitops validate` checks environment files with it without loading cdktf.
import ipaddr from 'ipaddr.js';

/** An IPv4 block: its first and last address as unsigned 32-bit integers, and its prefix length. */
export interface CidrRange {
  readonly first: number;
  readonly last: number;
  readonly prefix: number;
}

// ipaddr.js also reads octal, hexadecimal and shortened addresses (10.1/16); clouds take dotted decimal only.
const PREFIX = /\/\d{1,2}$/;

function parse(cidr: string): [ipaddr.IPv4, number] | undefined {
  if (!PREFIX.test(cidr) || !ipaddr.IPv4.isValidCIDRFourPartDecimal(cidr)) return undefined;
  return ipaddr.IPv4.parseCIDR(cidr);
}

function toNumber(address: ipaddr.IPv4): number {
  return address.toByteArray().reduce((n, octet) => n * 256 + octet, 0);
}

/** Parses `a.b.c.d/n`; undefined when malformed. Host bits may be set (see `canonicalIpv4Cidr`). */
export function parseIpv4Cidr(cidr: string): { address: number; prefix: number } | undefined {
  const parsed = parse(cidr);
  return parsed && { address: toNumber(parsed[0]), prefix: parsed[1] };
}

/** The block a CIDR names with its host bits ignored (10.0.1.7/16 → 10.0.0.0 to 10.0.255.255); undefined when malformed. */
export function cidrBlock(cidr: string): CidrRange | undefined {
  const parsed = parse(cidr);
  if (!parsed) return undefined;
  return {
    first: toNumber(ipaddr.IPv4.networkAddressFromCIDR(cidr)),
    last: toNumber(ipaddr.IPv4.broadcastAddressFromCIDR(cidr)),
    prefix: parsed[1],
  };
}

/** The range of a canonical IPv4 CIDR (host bits clear); undefined when malformed or not canonical. */
export function parseCidr(cidr: string): CidrRange | undefined {
  const block = cidrBlock(cidr);
  return block && block.first === parseIpv4Cidr(cidr)?.address ? block : undefined;
}

/** The canonical form of a CIDR (host bits cleared), e.g. 10.0.1.0/16 → 10.0.0.0/16. */
export function canonicalIpv4Cidr(cidr: string): string | undefined {
  const parsed = parse(cidr);
  return parsed && `${ipaddr.IPv4.networkAddressFromCIDR(cidr).toString()}/${parsed[1]}`;
}

/** A dotted-decimal IPv4 address, each part 0-255. */
export function isIpv4(address: string): boolean {
  return ipaddr.IPv4.isValidFourPartDecimal(address);
}

/** True for a CIDR that matches every address (0.0.0.0/0, ::/0, or any /0). */
export function isAnyAddress(cidr: string): boolean {
  return /\/0$/.test(cidr.trim());
}

export function contains(outer: CidrRange, inner: CidrRange): boolean {
  return inner.first >= outer.first && inner.last <= outer.last;
}

export function overlaps(a: CidrRange, b: CidrRange): boolean {
  return a.first <= b.last && b.first <= a.last;
}

/** The `index`-th block of `/newPrefix` inside `block` (Terraform's cidrsubnet); undefined when there is none. */
export function subBlock(block: CidrRange, newPrefix: number, index: number): string | undefined {
  const size = 2 ** (32 - newPrefix);
  const first = block.first + index * size;
  if (newPrefix < block.prefix || newPrefix > 32 || index < 0 || first + size - 1 > block.last) return undefined;
  // ipaddr.js reads a plain integer as the address it encodes.
  return `${ipaddr.IPv4.parse(String(first)).toString()}/${newPrefix}`;
}

/** The `index`-th block of `/newPrefix` inside the canonical `cidr`; throws naming the values when it does not fit. */
export function carve(cidr: string, newPrefix: number, index: number): string {
  const range = parseCidr(cidr);
  if (!range) throw new Error(`carve: ${JSON.stringify(cidr)} is not a canonical IPv4 CIDR`);
  const block = subBlock(range, newPrefix, index);
  if (block === undefined) throw new Error(`carve: block ${index} of /${newPrefix} does not fit in ${cidr}`);
  return block;
}
