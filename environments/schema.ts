// The schema of one environment file (environments/<name>.yaml). Strict everywhere: an unknown
// key is an error, so a typo never silently turns a setting off.
import { z } from 'zod';
import { cidrBlock } from '../modules/core/cidr.js';
import { systemSettings } from '../modules/systems/settings.js';
import { policyRuleIds } from '../modules/policy/rules/index.js';
import { SECURITY_SERVICES } from '../modules/account/security-services.js';

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

// State backends. S3 locks state with a lock file beside it (Terraform 1.10+; `dynamodb_table` is
// deprecated since 1.11); a DynamoDB table remains an option, alone or with the lock file while migrating.
const s3Backend = z
  .strictObject({
    type: z.literal('s3'),
    bucket: z.string().regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, 'must be an S3 bucket name'),
    keyPrefix: z.string().min(1),
    region: awsRegion,
    /** Lock state with a `.tflock` object beside it (S3 conditional writes). @default true */
    useLockfile: z.boolean({ error: 'must be true or false' }).default(true),
    /** A DynamoDB table that also (or, with `useLockfile: false`, alone) holds the lock. @default none */
    dynamodbTable: z.string().min(3).max(255).optional(),
  })
  .superRefine((b, ctx) => {
    if (!b.useLockfile && b.dynamodbTable === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['useLockfile'],
        message: 'is false and no dynamodbTable is given: state would not be locked (allowed: useLockfile true, or a dynamodbTable)',
        input: b.useLockfile,
      });
    }
  });

// The azurerm backend signs in to the state's blob storage with Entra ID by default, so the storage
// account may refuse shared keys and terraform needs no permission to list them.
const azurermBackend = z.strictObject({
  type: z.literal('azurerm'),
  resourceGroupName: z.string().min(1),
  storageAccountName: z.string().regex(/^[a-z0-9]{3,24}$/, 'must be a storage account name (3-24 lowercase letters and digits)'),
  containerName: z.string().min(3),
  keyPrefix: z.string().min(1),
  /** Read and write the state blob with Entra ID (needs Storage Blob Data Contributor), not the account's access key. @default true */
  useAzureadAuth: z.boolean({ error: 'must be true or false' }).default(true),
  /** Sign in with an OIDC token (workload identity federation). @default unset: ARM_USE_OIDC decides (the credentials block sets it) */
  useOidc: z.boolean({ error: 'must be true or false' }).optional(),
});

const backend = z.discriminatedUnion('type', [
  z.strictObject({
    type: z.literal('local'),
    /** Directory for state files, relative to the stack's output directory. @default terraform.<stack>.tfstate beside it */
    path: z.string().min(1).optional(),
  }),
  s3Backend,
  azurermBackend,
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

/** The controller's own environment variables a credential entry may hand to terraform, by name. */
export const PASS_ENV_PATTERNS = ['AWS_*', 'ARM_*', 'TF_VAR_*'] as const;
const passEnvName = z
  .string()
  .regex(/^(AWS_[A-Z0-9_]+|ARM_[A-Z0-9_]+|TF_VAR_[A-Za-z0-9_]+)$/, `must be a variable name matching ${PASS_ENV_PATTERNS.join(', ')}`);

/** The variables terraform gets from an `aws` entry (controller/runner/credentials.ts says why these). */
export const AWS_CREDENTIAL_VARIABLES = ['AWS_PROFILE', 'AWS_ROLE_ARN', 'AWS_ROLE_SESSION_NAME', 'AWS_WEB_IDENTITY_TOKEN_FILE'] as const;
/** The variables terraform gets from an `azure` entry. */
export const AZURE_CREDENTIAL_VARIABLES = [
  'ARM_CLIENT_ID',
  'ARM_TENANT_ID',
  'ARM_SUBSCRIPTION_ID',
  'ARM_USE_OIDC',
  'ARM_OIDC_TOKEN_FILE_PATH',
] as const;

const uuid = z.uuid({ error: 'must be a UUID such as 00000000-0000-4000-8000-000000000001' });
const absolutePath = z.string().regex(/^\/[^\0]*$/, 'must be an absolute path');

const awsCredentials = z
  .strictObject({
    /** A profile of the machine's shared AWS config (a role with an external id, SSO, a credential process). */
    profile: z
      .string()
      .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, 'must be a profile name (letters, digits, . _ -, at most 64)')
      .optional(),
    /** An IAM role assumed with a web identity token (an OIDC token of the machine's platform). */
    roleArn: z
      .string()
      .regex(
        /^arn:aws[a-z-]*:iam::\d{12}:role\/[\w+=,.@/-]{1,512}$/,
        'must be an IAM role ARN such as arn:aws:iam::111111111111:role/gitops-plan',
      )
      .optional(),
    /** @default the AWS SDK's own (a timestamp) */
    sessionName: z
      .string()
      .regex(/^[\w+=,.@-]{2,64}$/, 'must be 2-64 of letters, digits and + = , . @ _ -')
      .optional(),
    /** The token file read to assume `roleArn`. @default AWS_WEB_IDENTITY_TOKEN_FILE, which passEnv must then name */
    webIdentityTokenFile: absolutePath.optional(),
  })
  .superRefine((aws, ctx) => {
    if ((aws.profile === undefined) === (aws.roleArn === undefined)) {
      ctx.addIssue({ code: 'custom', message: 'must give exactly one of profile, roleArn', input: aws });
    }
    for (const key of ['sessionName', 'webIdentityTokenFile'] as const) {
      if (aws.profile !== undefined && aws[key] !== undefined) {
        ctx.addIssue({ code: 'custom', path: [key], message: 'is allowed only with roleArn (a profile sets its own)', input: aws[key] });
      }
    }
  });

const azureCredentials = z.strictObject({
  /** The client id of the app registration or managed identity terraform signs in as. */
  clientId: uuid,
  tenantId: uuid,
  subscriptionId: uuid,
  /** Sign in with an OIDC token (workload identity federation). @default true */
  useOidc: z.boolean({ error: 'must be true or false' }).default(true),
  /** The file holding the OIDC token (e.g. a projected service account token). @default the provider's own lookup */
  oidcTokenFilePath: absolutePath.optional(),
});

const credentialEntry = z
  .strictObject({
    aws: awsCredentials.optional(),
    azure: azureCredentials.optional(),
    /** Variables copied from the controller's environment, by name. @default none */
    passEnv: z.array(passEnvName).max(50).default([]),
  })
  .superRefine((entry, ctx) => {
    const declared = new Set<string>([...(entry.aws ? AWS_CREDENTIAL_VARIABLES : []), ...(entry.azure ? AZURE_CREDENTIAL_VARIABLES : [])]);
    entry.passEnv.forEach((name, i) => {
      if (entry.passEnv.indexOf(name) !== i) {
        ctx.addIssue({ code: 'custom', path: ['passEnv', i], message: 'is already listed (allowed: each name once)', input: name });
      } else if (declared.has(name) && !(name === 'AWS_WEB_IDENTITY_TOKEN_FILE' && entry.aws?.roleArn && !entry.aws.webIdentityTokenFile)) {
        const block = name.startsWith('AWS_') ? 'aws' : 'azure';
        ctx.addIssue({
          code: 'custom',
          path: ['passEnv', i],
          message: `is set by the ${block} entry (allowed: names it does not set)`,
          input: name,
        });
      }
    });
    if (
      entry.aws?.roleArn &&
      entry.aws.profile === undefined &&
      !entry.aws.webIdentityTokenFile &&
      !entry.passEnv.includes('AWS_WEB_IDENTITY_TOKEN_FILE')
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['aws', 'webIdentityTokenFile'],
        message:
          'is required with roleArn unless passEnv names AWS_WEB_IDENTITY_TOKEN_FILE (the AWS SDK assumes a role from the environment only with a web identity token)',
        input: undefined,
      });
    }
  });

/**
 * What terraform runs with: `plan` (read-only) for init, plan and show; `apply` (write) for apply and
 * output of merged code. Synth never gets either. @default no credentials: terraform gets PATH, HOME and its own settings only
 */
const credentials = z.strictObject({
  plan: credentialEntry.optional(),
  apply: credentialEntry.optional(),
});
export type Credentials = z.infer<typeof credentials>;
export type CredentialEntry = z.infer<typeof credentialEntry>;

const systems = z.strictObject(
  Object.fromEntries(Object.entries(systemSettings).map(([name, schema]) => [name, schema.optional()])) as {
    [K in keyof typeof systemSettings]: z.ZodOptional<(typeof systemSettings)[K]>;
  },
);

// The AWS account and the account-wide services its `account-<env>` stacks hold. An organisation often
// runs GuardDuty, Config and the trail for every member account (delegated administrator, organisation
// trail), and a second detector or recorder fails to create: the file says which ones it runs.
const awsAccount = z.strictObject({
  accountId: z.string().regex(/^\d{12}$/, 'must be a 12-digit AWS account id'),
  /** Services the AWS organisation already runs in this account; the account stacks create none of them. @default [] (they create all three) */
  managedByOrganization: z
    .array(z.enum(SECURITY_SERVICES))
    .refine((list) => new Set(list).size === list.length, `must name each service once (allowed: ${SECURITY_SERVICES.join(', ')})`)
    .default([]),
  /** The account has a Shield Advanced subscription (bought outside Terraform: a one-year commitment); systems protect their edges with it. @default false */
  shieldAdvanced: z.boolean({ error: 'must be true or false' }).default(false),
});

// Where the environment's alarms go. Every system's alarm topic (AWS) and action group (Azure) gets
// the e-mail and HTTPS receivers; an existing topic or action group is notified by every alarm too.
const receiverName = z.string().regex(/^[a-z0-9-]{1,32}$/, 'must be a short name such as oncall (a-z, 0-9, -, at most 32)');
const alarms = z.strictObject({
  /** E-mail receivers by name: SNS e-mail subscriptions (each confirms once) and action group e-mail receivers. @default none */
  email: z.record(receiverName, z.email({ error: 'must be an e-mail address such as oncall@example.com' })).default({}),
  /** HTTPS endpoints by name (an incident tool's webhook): SNS HTTPS subscriptions and action group webhooks. @default none */
  https: z
    .record(
      receiverName,
      z.url({
        protocol: /^https$/,
        hostname: z.regexes.domain,
        error: 'must be an https:// URL such as https://events.example.com/alarms',
      }),
    )
    .default({}),
  /** An existing SNS topic, by name, in the environment's account and in each region it runs AWS systems: every alarm notifies it too. @default none */
  snsTopic: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,256}$/, 'must be an SNS topic name (letters, digits, - and _, at most 256)')
    .optional(),
  /** An existing Azure Monitor action group, by resource id: every Azure alert notifies it too. @default none */
  actionGroupId: z
    .string()
    .regex(
      /^\/subscriptions\/[0-9a-f-]{36}\/resourceGroups\/[\w.()-]{1,90}\/providers\/microsoft\.insights\/actionGroups\/[\w-]{1,260}$/i,
      'must be an action group resource id such as /subscriptions/<uuid>/resourceGroups/<group>/providers/Microsoft.Insights/actionGroups/<name>',
    )
    .optional(),
});
export type AlarmDestinations = z.infer<typeof alarms>;

export const environmentSchema = z.strictObject({
  name: z.string().regex(/^[a-z][a-z0-9-]{0,15}$/, 'must be lowercase letters, digits and -, starting with a letter, at most 16'),
  /** The git branch whose commits are deployed to this environment. */
  branch: branchPattern.refine((b) => !b.endsWith('/*'), 'must be an exact branch name, not a glob'),
  tier: z.enum(['development', 'staging', 'production']),
  description: z.string().optional(),
  accounts: z.strictObject({
    aws: awsAccount.optional(),
    azure: z.strictObject({ subscriptionId: z.uuid(), tenantId: z.uuid() }).optional(),
  }),
  regions: z.strictObject({ primary: region, dr: region.optional() }),
  backend,
  tags,
  systems: systems.default({}),
  release,
  policy: policy.prefault({}),
  credentials: credentials.optional(),
  /** Where alarms go; a production environment must name at least one receiver for each cloud it runs. @default none */
  alarms: alarms.prefault({}),
  /**
   * Staging only: each production component this environment leaves out, as `<system>` or `<system>.<knob>`,
   * with the reason. Checked against the production files (environments/like-production.ts). @default none
   */
  differsFromProduction: z
    .record(
      z.string().regex(/^[a-z]+(\.[A-Za-z]+)*$/, 'must be <system> or <system>.<knob>, such as imaging.dr'),
      z.string().trim().min(10, 'must say why, in at least 10 characters'),
    )
    .optional(),
});

export type EnvironmentInput = z.input<typeof environmentSchema>;
export type Environment = z.infer<typeof environmentSchema>;
