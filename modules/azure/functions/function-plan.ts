// The Linux plan Function Apps run on: Elastic Premium, Flex Consumption or (legacy) Consumption.
import { Construct } from 'constructs';
import { ServicePlan } from '@cdktf/provider-azurerm/lib/service-plan/index.js';
import { PropProblems } from '../../core/validation.js';
import { checkName } from '../core/names.js';
import { checkPlacement, type Placement } from '../core/placement.js';

/**
 * `EP1`-`EP3`: Elastic Premium (VNet integration through a Microsoft.Web/serverFarms subnet, private
 * endpoints, no cold start; several apps share one plan). `FC1`: Flex Consumption (VNet integration
 * through a Microsoft.App/environments subnet; one app per plan). `Y1`: Linux Consumption, which
 * has neither VNet integration nor private endpoints and which Microsoft is retiring.
 */
export const FUNCTION_PLAN_SKUS = ['EP1', 'EP2', 'EP3', 'FC1', 'Y1'] as const;
export type FunctionPlanSku = (typeof FUNCTION_PLAN_SKUS)[number];

export interface FunctionPlanProps extends Placement {
  readonly name: string;
  /** @default 'EP1' */
  readonly sku?: FunctionPlanSku;
  /** Spread instances over availability zones (Elastic Premium; needs at least 3 instances). @default false */
  readonly zoneRedundant?: boolean;
  /** Elastic Premium: the most instances the plan scales out to, 1-100. @default 20 */
  readonly maximumElasticWorkerCount?: number;
}

export class FunctionPlan extends Construct {
  public readonly plan: ServicePlan;
  public readonly id: string;
  public readonly sku: FunctionPlanSku;

  constructor(scope: Construct, id: string, props: FunctionPlanProps) {
    super(scope, id);
    const sku = props.sku ?? 'EP1';
    const elastic = sku.startsWith('EP');
    const zoneRedundant = props.zoneRedundant ?? false;
    const p = new PropProblems(this, 'FunctionPlan');
    checkPlacement(p, props);
    checkName(p, 'name', props.name, 'generic');
    p.oneOf('sku', sku, FUNCTION_PLAN_SKUS);
    p.check(!zoneRedundant || elastic, `zoneRedundant needs an Elastic Premium sku (EP1-EP3; got ${JSON.stringify(sku)})`);
    p.check(
      props.maximumElasticWorkerCount === undefined || elastic,
      `maximumElasticWorkerCount needs an Elastic Premium sku (EP1-EP3; got ${JSON.stringify(sku)})`,
    );
    p.range('maximumElasticWorkerCount', props.maximumElasticWorkerCount, zoneRedundant ? 3 : 1, 100);
    p.throwIfAny();

    this.sku = sku;
    this.plan = new ServicePlan(this, 'plan', {
      name: props.name,
      resourceGroupName: props.resourceGroupName,
      location: props.location,
      osType: 'Linux',
      skuName: sku,
      zoneBalancingEnabled: elastic ? zoneRedundant : undefined,
      workerCount: elastic && zoneRedundant ? 3 : undefined,
      maximumElasticWorkerCount: elastic ? (props.maximumElasticWorkerCount ?? 20) : undefined,
    });
    this.id = this.plan.id;
  }
}
