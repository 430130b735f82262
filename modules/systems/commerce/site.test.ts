// The commerce site read from an environment file: every missing field named at once, with its file.
import { Testing } from 'cdktf';
import { buildApp } from '../../../environments/app.js';
import type { Environment } from '../../../environments/schema.js';
import type { SystemContext } from '../types.js';
import { errorOf } from '../../../test/error-of.js';
import { envNamed, systemContext } from '../../../test/modules/system-synth.js';
import { commerceSystem, CommerceStack } from './index.js';

const newStack = (context: SystemContext<'commerce'>) => new CommerceStack(Testing.app(), 'commerce-test', context);

describe('commerce site', () => {
  const dev = envNamed('dev');
  const prod = envNamed('prod');

  test('GIVEN a primary region without an Azure location WHEN the stack is built THEN one error names the file and regions.primary.azure', () => {
    const noLocation: Environment = { ...dev, regions: { primary: { ...dev.regions.primary, azure: undefined } } };
    expect(errorOf(() => newStack(systemContext(commerceSystem, noLocation)))).toBe(
      'commerce (primary site): environments/dev.yaml regions.primary.azure is required: the Azure location of the primary site (e.g. westeurope), paired with regions.primary.aws eu-west-1 (got none)',
    );
  });

  test('GIVEN a DR region without an Azure location WHEN the DR stack is built THEN the error names regions.dr.azure', () => {
    const noDrLocation: Environment = { ...prod, regions: { ...prod.regions, dr: { ...prod.regions.dr!, azure: undefined } } };
    expect(errorOf(() => newStack(systemContext(commerceSystem, noDrLocation, {}, 'dr')))).toMatch(
      /^commerce \(dr site\): environments\/prod\.yaml regions\.dr\.azure is required: .*paired with regions\.dr\.aws eu-central-1 \(got none\)$/,
    );
  });

  test('GIVEN no Azure subscription, no location and no SQL admin group WHEN the stack is built THEN one error lists every missing field', () => {
    const bare: Environment = {
      ...dev,
      accounts: { aws: dev.accounts.aws },
      regions: { primary: { ...dev.regions.primary, azure: undefined } },
    };
    const message = errorOf(() => newStack(systemContext(commerceSystem, bare, { sqlAdminGroup: {}, awsServicePrincipal: {} })));
    expect(message.split('; ')).toEqual([
      'commerce (primary site): environments/dev.yaml accounts.azure is required: the Azure subscriptionId and tenantId of the Azure side (got none)',
      expect.stringContaining('environments/dev.yaml regions.primary.azure is required'),
      expect.stringContaining('environments/dev.yaml systems.commerce.sqlAdminGroup.objectId is required'),
      expect.stringContaining('environments/dev.yaml systems.commerce.awsServicePrincipal.clientId is required'),
      expect.stringContaining('environments/dev.yaml systems.commerce.awsServicePrincipal.objectId is required'),
    ]);
  });

  test('GIVEN the app over an environment missing its Azure location WHEN built THEN the app fails with the same message', () => {
    const noLocation: Environment = { ...dev, regions: { primary: { ...dev.regions.primary, azure: undefined } } };
    expect(() => buildApp(Testing.app(), [noLocation], { systems: [commerceSystem], commitSha: 'abcdef1', version: '0.0.0' })).toThrow(
      'environments/dev.yaml regions.primary.azure is required',
    );
  });
});
