// Prop checks for FunctionApp: plan and network compatibility, runtime, and app settings without secrets.
import type { Construct } from 'constructs';
import { PropProblems } from '../../core/validation.js';
import { checkName } from '../core/names.js';
import { checkPlacement } from '../core/placement.js';
import { appSettingProblems, usesKeyVaultReferences } from './app-settings.js';
import { functionCodeProblems } from './function-app-package.js';
import { FUNCTION_PLAN_SKUS, type FunctionPlanSku } from './function-plan.js';
import type { FunctionAppProps } from './function-app-props.js';
import { FUNCTION_RUNTIMES, type FunctionRuntime } from './runtimes.js';

export function validateFunctionApp(
  scope: Construct,
  props: FunctionAppProps,
  sku: FunctionPlanSku,
  runtime: { readonly name: FunctionRuntime; readonly version: string },
): void {
  const p = new PropProblems(scope, 'FunctionApp');
  checkPlacement(p, props);
  checkName(p, 'name', props.name, 'functionApp');
  p.oneOf('sku', sku, FUNCTION_PLAN_SKUS);
  p.check(
    props.plan === undefined || props.sku === undefined,
    `sku must be unset when plan is given (the plan's sku ${props.plan?.sku} applies; got sku ${JSON.stringify(props.sku)})`,
  );
  p.check(
    sku !== 'FC1' || props.plan === undefined,
    'plan must be unset for sku FC1: a Flex Consumption plan hosts one app, so the app creates its own',
  );
  p.oneOf('runtime.name', runtime.name, Object.keys(FUNCTION_RUNTIMES) as FunctionRuntime[]);
  const versions: readonly string[] = FUNCTION_RUNTIMES[runtime.name] ?? [];
  p.oneOf(`runtime.version (${runtime.name})`, runtime.version, versions);

  const withoutVnet = props.withoutVnetIntegration ?? false;
  p.check(
    props.subnetId !== undefined || withoutVnet,
    'subnetId must be set (a delegated subnet for outbound VNet integration), or withoutVnetIntegration: true to run outside the VNet',
  );
  p.check(!(props.subnetId !== undefined && withoutVnet), 'subnetId and withoutVnetIntegration: true contradict each other: set one');
  if (sku === 'Y1') {
    p.check(props.subnetId === undefined, 'sku "Y1" (Linux Consumption) has no VNet integration: unset subnetId, or use EP1-EP3 or FC1');
    p.check(
      props.privateLink === undefined,
      'sku "Y1" (Linux Consumption) has no private endpoints: unset privateLink, or use EP1-EP3 or FC1',
    );
    p.check(
      props.allowPublicNetworkAccess === true,
      'sku "Y1" (Linux Consumption) is reachable only publicly: set allowPublicNetworkAccess: true, or use EP1-EP3 or FC1',
    );
  }
  p.check(sku === 'FC1' || props.maximumInstanceCount === undefined, `maximumInstanceCount needs sku "FC1" (got ${JSON.stringify(sku)})`);
  p.range('maximumInstanceCount', props.maximumInstanceCount, 1, 1000);
  p.matches('healthCheckPath', props.healthCheckPath, /^\/[A-Za-z0-9/._~-]*$/, 'an absolute path such as /api/health');

  if (props.functions !== undefined) {
    for (const problem of functionCodeProblems(props.functions)) p.check(false, problem);
    p.check(
      runtime.name === 'node',
      `functions need runtime "node" (their entries are bundled JavaScript; got ${JSON.stringify(runtime.name)})`,
    );
  }

  const settings = props.appSettings ?? {};
  for (const problem of appSettingProblems(settings)) p.check(false, problem);
  p.check(
    !usesKeyVaultReferences(settings) || props.keyVault !== undefined,
    'keyVault must be set when appSettings hold Key Vault references (the app identity is granted Key Vault Secrets User on it)',
  );
  p.throwIfAny();
}
