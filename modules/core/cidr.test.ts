import {
  canonicalIpv4Cidr,
  carve,
  cidrBlock,
  contains,
  isAnyAddress,
  isIpv4,
  overlaps,
  parseCidr,
  parseIpv4Cidr,
  subBlock,
} from './cidr.js';

describe('parsing', () => {
  test('GIVEN CIDR strings WHEN parsed THEN only well-formed IPv4 CIDRs are accepted', () => {
    expect(parseIpv4Cidr('10.0.0.0/16')).toEqual({ address: 0x0a000000, prefix: 16 });
    for (const bad of ['10.0.0/16', '256.0.0.0/8', '10.0.0.0/33', '10.0.0.0', ' 10.0.0.0/8']) expect(parseIpv4Cidr(bad)).toBeUndefined();
    expect(canonicalIpv4Cidr('10.0.1.7/16')).toBe('10.0.0.0/16');
    expect(canonicalIpv4Cidr('0.0.0.0/0')).toBe('0.0.0.0/0');
  });

  test.each(['010.0.0.0/8', '0x0a.0.0.0/8', '10.1/16', '167772160/8', '10.0.0.0/016', '10.0.0.0/-1'])(
    'GIVEN %j (octal, hexadecimal, shortened or a long prefix) WHEN parsed THEN it is rejected',
    (cidr) => {
      expect(parseIpv4Cidr(cidr)).toBeUndefined();
      expect(canonicalIpv4Cidr(cidr)).toBeUndefined();
      expect(cidrBlock(cidr)).toBeUndefined();
    },
  );

  test('GIVEN canonical CIDRs WHEN parsed THEN first, last and prefix are exact', () => {
    expect(parseCidr('10.30.16.0/20')).toEqual({ first: 0x0a1e1000, last: 0x0a1e1fff, prefix: 20 });
    expect(parseCidr('0.0.0.0/0')).toEqual({ first: 0, last: 2 ** 32 - 1, prefix: 0 });
  });

  test.each(['10.30.16.1/20', '10.300.0.0/16', '10.0.0.0/33', '10.0.0.0', 'ten/8', ''])(
    'GIVEN %j WHEN parsed THEN it is rejected (malformed or host bits set)',
    (cidr) => expect(parseCidr(cidr)).toBeUndefined(),
  );

  test('GIVEN a CIDR with host bits set WHEN its block is taken THEN the host bits are ignored', () => {
    expect(cidrBlock('10.30.1.7/16')).toEqual({ first: 0x0a1e0000, last: 0x0a1effff, prefix: 16 });
    expect(cidrBlock('255.255.255.255/32')).toEqual({ first: 2 ** 32 - 1, last: 2 ** 32 - 1, prefix: 32 });
  });

  test('GIVEN addresses WHEN checked THEN only dotted IPv4 within 0-255 passes', () => {
    expect(isIpv4('203.0.113.10')).toBe(true);
    expect(isIpv4('203.0.113.256')).toBe(false);
    expect(isIpv4('203.0.113')).toBe(false);
  });

  test('GIVEN /0 CIDRs WHEN checked THEN IPv4 and IPv6 "anywhere" are recognised', () => {
    expect(isAnyAddress('0.0.0.0/0')).toBe(true);
    expect(isAnyAddress('::/0')).toBe(true);
    expect(isAnyAddress('10.0.0.0/8')).toBe(false);
    expect(isAnyAddress('2001:db8::/32')).toBe(false);
  });
});

describe('ranges', () => {
  test('GIVEN ranges WHEN compared THEN containment and overlap follow the addresses', () => {
    const vnet = parseCidr('10.30.16.0/20')!;
    expect(contains(vnet, parseCidr('10.30.17.0/24')!)).toBe(true);
    expect(contains(vnet, parseCidr('10.30.32.0/24')!)).toBe(false);
    expect(overlaps(parseCidr('10.30.16.0/24')!, parseCidr('10.30.16.128/25')!)).toBe(true);
    expect(overlaps(parseCidr('10.30.16.0/25')!, parseCidr('10.30.16.128/25')!)).toBe(false);
  });

  test('GIVEN a /20 WHEN carved THEN blocks are consecutive and out-of-range blocks throw with the reason', () => {
    expect(carve('10.30.16.0/20', 24, 0)).toBe('10.30.16.0/24');
    expect(carve('10.30.16.0/20', 24, 1)).toBe('10.30.17.0/24');
    expect(carve('10.30.16.0/20', 27, 16)).toBe('10.30.18.0/27');
    expect(() => carve('10.30.16.0/20', 24, 16)).toThrow('carve: block 16 of /24 does not fit in 10.30.16.0/20');
    expect(() => carve('10.30.16.0/20', 16, 0)).toThrow('does not fit');
    expect(() => carve('10.30.16.1/20', 24, 0)).toThrow('"10.30.16.1/20" is not a canonical IPv4 CIDR');
  });

  test('GIVEN a block WHEN a sub-block is asked for THEN the last address of the space is reachable and no block lies outside', () => {
    const all = cidrBlock('0.0.0.0/0')!;
    expect(subBlock(all, 32, 2 ** 32 - 1)).toBe('255.255.255.255/32');
    expect(subBlock(all, 1, 1)).toBe('128.0.0.0/1');
    expect(subBlock(all, 33, 0)).toBeUndefined();
    expect(subBlock(cidrBlock('10.0.0.0/16')!, 20, -1)).toBeUndefined();
    expect(subBlock(cidrBlock('10.0.0.0/16')!, 15, 0)).toBeUndefined();
  });
});
