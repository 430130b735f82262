// The schema of one environment file (environments/<name>.yaml). Strict everywhere: an unknown
// key is an error, so a typo never silently turns a setting off.
import { z } from 'zod';
import { cidrBlock } from '../modules/core/cidr.js';
import { systemSettings } from '../modules/systems/settings.js';
import { policyRuleIds } from '../modules/policy/rules/index.js';

/** A branch name pattern: an exact name (`main`) or a prefix glob (`feature/*`). */
export const branchPattern = z
  .string()
  .regex(/^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*(\/\*)?$/, 'must be a branch name or a prefix glob such as feature/*');

const awsRegion = z.string().regex(/^[a-z]{2}(-gov)?-[a-z]+-\d$/, 'must be an AWS region such as eu-west-1');
const azureLocation = z.string().regex(/^[a-z]+[a-z0-9]*$/, 'must be an Azure location such as westeurope');

const region = z.strictObject({
  /** AWS region of this site. */
  aws: awsRegion,
  /** Azure location of this site (for systems on Azure). */
  azure: azureLocation.optional(),
  /** Address space of the environment in this region (a /16 is carved into one /20 per system). */
  // A malformed CIDR gets cidrv4's message alone.
  cidr: z.cidrv4().refine((c) => (cidrBlock(c)?.prefix ?? 0) <= 16, 'must be a CIDR block of /16 or larger'),
});
export type Region = z.infer<typeof region>;

const backend = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('local'),
    /** Directory for state files, relative to the stack's output directory. @default terraform.<stack>.tfstate beside it */
    path: z.string().min(1).optional(),
  }),
  z.strictObject({
    type: z.literal('s3'),
    bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name'),
    keyPrefix: z.string().min(1),
    region: awsRegion,
    dynamodbTable: z.string().min(3).max(255),
  }),
  z.strictObject({
    type: z.literal('azurerm'),
    resourceGroupName: z.string().min(1),
    storageAccountName: z.string().regex(/^[a-z0-9]{3,24}$/, 'must be a storage account name (3-24 lowercase letters and digits)'),
    containerName: z.string().min(3),
    keyPrefix: z.string().min(1),
  }),
]);
export type Backend = z.infer<typeof backend>;

const candidate = z.strictObject({
  /** Branches that are candidates for this environment (e.g. `release/*`): pull requests into them plan this environment and apply nothing. */
  branch: branchPattern,
  /** Head branches that may open pull requests into a candidate branch. */
  accepts: z.array(branchPattern).min(1),
});

const release = z.strictObject({
  /** Head branches that may open pull requests into this environment's branch. */
  accepts: z.array(branchPattern).min(1),
  /** Approvals needed on the current head before a merge (in addition to CODEOWNERS owners). */
  requiredApprovals: z.number().int().min(0).max(10).default(0),
  /** The environment that must have deployed the same tree before this one may. */
  requires: z.string().min(1).optional(),
  /** Accept `hotfix/*` heads as well. */
  allowHotfix: z.boolean().default(false),
  /** Candidate branches that stage changes for this environment. */
  candidates: z.array(candidate).default([]),
  /** Environments whose branches are rebased onto this branch after it moves (back-sync). */
  rebase: z.array(z.string().min(1)).default([]),
  /** Head branches must be based on this environment's branch (they may not carry commits of lower branches). @default the environment is not a base */
  trunk: z.boolean().default(false),
});
export type ReleaseRules = z.infer<typeof release>;

const waiver = z.strictObject({
  /** A policy rule id (`gitops policy --rules`). */
  rule: z.string().refine((id) => policyRuleIds.includes(id), 'must be a policy rule id (see gitops policy --rules)'),
  /** The resource address inside a stack: `<stack>.<type>.<name>`. */
  resource: z
    .string()
    .regex(
      /^[a-z0-9][a-z0-9._-]*\.[a-z0-9_]+\.[A-Za-z0-9_-]+$/,
      'must be <stack>.<type>.<name>, e.g. imaging-prod.aws_s3_bucket.images_bucket_1A2B3C4D',
    ),
  reason: z.string().trim().min(10, 'must be a written reason of at least 10 characters'),
});

const policy = z.strictObject({
  /** What a failing rule does: `error` fails synth and the check; `warning` reports only. */
  level: z.enum(['error', 'warning']).default('error'),
  waivers: z.array(waiver).default([]),
});

const tags = z
  .strictObject({
    environment: z.string().min(1),
    owner: z.string().min(1),
    'cost-center': z.string().min(1),
  })
  .catchall(z.string());

const systems = z.strictObject(
  Object.fromEntries(Object.entries(systemSettings).map(([name, schema]) => [name, schema.optional()])) as {
    [K in keyof typeof systemSettings]: z.ZodOptional<(typeof systemSettings)[K]>;
  },
);

export const environmentSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9-]{0,15}$/, 'must be lowercase letters, digits and -, starting with a letter, at most 16'),
  /** The git branch whose commits are deployed to this environment. */
  branch: branchPattern.refine((b) => !b.endsWith('/*'), 'must be an exact branch name, not a glob'),
  tier: z.enum(['development', 'staging', 'production']),
  description: z.string().optional(),
  accounts: z.strictObject({
    aws: z.strictObject({ accountId: z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id') }).optional(),
    azure: z.strictObject({ subscriptionId: z.uuid(), tenantId: z.uuid() }).optional(),
  }),
  regions: z.strictObject({ primary: region, dr: region.optional() }),
  backend,
  tags,
  systems: systems.default({}),
  release,
  policy: policy.prefault({}),
});

export type EnvironmentInput = z.input<typeof environmentSchema>;
export type Environment = z.infer<typeof environmentSchema>;
