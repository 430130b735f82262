import { Testing, TerraformStack } from 'cdktf';
import { PropProblems } from '../../aws/core/validation.js';
import { carve, contains, isIpv4, overlaps, parseCidr } from './cidr.js';
import { checkName } from './names.js';
import { checkNetworkAccess } from './network-access.js';
import { checkPlacement } from './placement.js';

const problems = (fill: (p: PropProblems) => void): string => {
  const p = new PropProblems(new TerraformStack(Testing.app(), 'test'), 'Thing');
  fill(p);
  try {
    p.throwIfAny();
    return '';
  } catch (e) {
    return (e as Error).message;
  }
};

describe('cidr', () => {
  test('GIVEN canonical CIDRs WHEN parsed THEN first, last and prefix are exact', () => {
    expect(parseCidr('10.30.16.0/20')).toEqual({ first: 0x0a1e1000, last: 0x0a1e1fff, prefix: 20 });
    expect(parseCidr('0.0.0.0/0')).toEqual({ first: 0, last: 2 ** 32 - 1, prefix: 0 });
  });

  test.each(['10.30.16.1/20', '10.300.0.0/16', '10.0.0.0/33', '10.0.0.0', 'ten/8', ''])(
    'GIVEN %j WHEN parsed THEN it is rejected (malformed or host bits set)',
    (cidr) => expect(parseCidr(cidr)).toBeUndefined(),
  );

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

  test('GIVEN addresses WHEN checked THEN only dotted IPv4 within 0-255 passes', () => {
    expect(isIpv4('203.0.113.10')).toBe(true);
    expect(isIpv4('203.0.113.256')).toBe(false);
    expect(isIpv4('203.0.113')).toBe(false);
  });
});

describe('names, placement and network access', () => {
  test('GIVEN names that break the global naming rules WHEN checked THEN each problem names the prop, the value and the rule', () => {
    const message = problems((p) => {
      checkName(p, 'storage', 'Has-Upper', 'storageAccount');
      checkName(p, 'vault', '1starts-with-digit', 'keyVault');
      checkName(p, 'vault2', 'double--hyphen', 'keyVault');
      checkName(p, 'sql', '-leading', 'sqlServer');
      checkName(p, 'bus', 'short', 'serviceBusNamespace');
      checkName(p, 'ok', 'stcommerce01', 'storageAccount');
    });
    expect(message).toContain('storage must be 3-24 lowercase letters or digits (globally unique) (got "Has-Upper")');
    expect(message).toContain(
      'vault must be 3-24 letters, digits or single hyphens, starting with a letter (globally unique) (got "1starts-with-digit")',
    );
    expect(message).toContain('(got "double--hyphen")');
    expect(message).toContain('sql must be 1-63 lowercase letters');
    expect(message).toContain('bus must be 6-50 lowercase letters');
    expect(message).not.toContain('stcommerce01');
  });

  test('GIVEN a bad location and resource group WHEN checked THEN both are reported', () => {
    const message = problems((p) => checkPlacement(p, { resourceGroupName: 'ends-with-dot.', location: 'West Europe' }));
    expect(message).toContain('resourceGroupName must be a resource group name');
    expect(message).toContain('location must be an Azure location in lowercase without spaces, such as westeurope (got "West Europe")');
  });

  test('GIVEN allowed subnets without public access WHEN checked THEN the contradiction is reported', () => {
    expect(problems((p) => checkNetworkAccess(p, { allowedSubnetIds: { functions: 'id' } }))).toContain(
      'allowedSubnetIds needs allowPublicNetworkAccess: true (service endpoints reach the public endpoint; got allowedSubnetIds functions with allowPublicNetworkAccess false)',
    );
    expect(problems((p) => checkNetworkAccess(p, { allowedSubnetIds: { functions: 'id' }, allowPublicNetworkAccess: true }))).toBe('');
  });
});
