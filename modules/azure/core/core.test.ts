import { Testing, TerraformStack } from 'cdktf';
import { PropProblems } from '../../core/validation.js';
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
