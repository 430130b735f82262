// Every policy rule. Pure functions over synthesized JSON: no cdktf import here, so the CLI can list
// rule ids (for waiver validation) without loading a provider.
import type { PolicyRule } from '../types.js';
import { azureRules } from './azure.js';
import { cacheQueueTableRules } from './cache-queue-table.js';
import { computeRules } from './compute.js';
import { edgeApiRules } from './edge-api.js';
import { iamRules } from './iam.js';
import { rdsRules } from './rds.js';
import { s3Rules } from './s3.js';
import { securityNetworkRules } from './security-network.js';
import { tagRules } from './tags.js';

export const policyRules: readonly PolicyRule[] = [
  ...s3Rules,
  ...rdsRules,
  ...cacheQueueTableRules,
  ...edgeApiRules,
  ...computeRules,
  ...securityNetworkRules,
  ...iamRules,
  ...azureRules,
  ...tagRules,
];

export const policyRuleIds: readonly string[] = policyRules.map((r) => r.id);
