// IPv4 CIDR checks for address spaces and subnets: parse, contain, overlap.

export interface CidrRange {
  /** First address as an unsigned 32-bit integer. */
  readonly first: number;
  /** Last address as an unsigned 32-bit integer. */
  readonly last: number;
  readonly prefix: number;
}

const CIDR = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
const IPV4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

/** The range of a canonical IPv4 CIDR (host bits clear); undefined when malformed or not canonical. */
export function parseCidr(cidr: string): CidrRange | undefined {
  const m = CIDR.exec(cidr);
  if (!m) return undefined;
  const octets = m.slice(1, 5).map(Number);
  const prefix = Number(m[5]);
  if (octets.some((o) => o > 255) || prefix > 32) return undefined;
  const first = octets.reduce((acc, o) => acc * 256 + o, 0);
  const size = 2 ** (32 - prefix);
  if (first % size !== 0) return undefined;
  return { first, last: first + size - 1, prefix };
}

export function isIpv4(address: string): boolean {
  const m = IPV4.exec(address);
  return m !== null && m.slice(1, 5).every((o) => Number(o) <= 255);
}

export function contains(outer: CidrRange, inner: CidrRange): boolean {
  return inner.first >= outer.first && inner.last <= outer.last;
}

export function overlaps(a: CidrRange, b: CidrRange): boolean {
  return a.first <= b.last && b.first <= a.last;
}

/** The `index`-th block of `/newPrefix` inside `cidr` (like Terraform's cidrsubnet with absolute size). */
export function carve(cidr: string, newPrefix: number, index: number): string {
  const range = parseCidr(cidr);
  if (!range) throw new Error(`carve: ${JSON.stringify(cidr)} is not a canonical IPv4 CIDR`);
  const size = 2 ** (32 - newPrefix);
  const first = range.first + index * size;
  if (newPrefix < range.prefix || index < 0 || first + size - 1 > range.last) {
    throw new Error(`carve: block ${index} of /${newPrefix} does not fit in ${cidr}`);
  }
  return `${[24, 16, 8, 0].map((shift) => Math.floor(first / 2 ** shift) % 256).join('.')}/${newPrefix}`;
}
