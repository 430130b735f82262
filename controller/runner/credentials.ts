// Turns an environment file's `credentials` block into the variables terraform runs with: the plan set
// (init, plan, show) and the apply set (apply, output). Nothing else of the controller's environment
// reaches terraform, and synth (pull request code) gets neither set.
//
// Why these variables: terraform's AWS provider and its S3 backend find credentials through the AWS SDK's
// default chain, and azurerm (and the azurerm backend) read ARM_* variables.
// - `aws.profile` → AWS_PROFILE: the SDK reads that profile of the shared config and credentials files,
//   which can hold what no environment variable can (a role with an external id, SSO, a credential process).
// - `aws.roleArn` → AWS_ROLE_ARN, AWS_ROLE_SESSION_NAME, AWS_WEB_IDENTITY_TOKEN_FILE: the SDK assumes a role
//   from the environment only with a web identity token (AssumeRoleWithWebIdentity, as on EKS or with a
//   platform's OIDC token); the token file is the entry's or the controller's own. A role that needs an
//   external id is not reachable through variables: name a profile that sets `role_arn` and `external_id`.
// - `azure` → ARM_CLIENT_ID, ARM_TENANT_ID, ARM_SUBSCRIPTION_ID, ARM_USE_OIDC=true (unless useOidc is
//   false) and ARM_OIDC_TOKEN_FILE_PATH: azurerm's OIDC (workload identity federation) sign-in reads these;
//   without a token file it looks for its other token sources (ARM_OIDC_TOKEN, ARM_OIDC_REQUEST_*), which
//   passEnv can hand over.
// - `passEnv` → each named variable's value in the controller's environment (AWS_*, ARM_*, TF_VAR_* only).
import type { CredentialEntry, Environment } from '../../environments/schema.js';
import type { TerraformCredentials } from '../core/ports/terraform.js';

/** A credential entry names a variable the controller's environment does not have. */
export class CredentialsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CredentialsError';
  }
}

/** Where resolved values are learnt as held secrets (HeldSecrets), so every text leaving the controller masks them. */
export interface SecretSink {
  add(secret: string): void;
}

function awsVariables(aws: NonNullable<CredentialEntry['aws']>): Record<string, string> {
  if (aws.profile !== undefined) return { AWS_PROFILE: aws.profile };
  const vars: Record<string, string> = { AWS_ROLE_ARN: aws.roleArn ?? '' };
  if (aws.sessionName !== undefined) vars.AWS_ROLE_SESSION_NAME = aws.sessionName;
  if (aws.webIdentityTokenFile !== undefined) vars.AWS_WEB_IDENTITY_TOKEN_FILE = aws.webIdentityTokenFile;
  return vars;
}

function azureVariables(azure: NonNullable<CredentialEntry['azure']>): Record<string, string> {
  const vars: Record<string, string> = {
    ARM_CLIENT_ID: azure.clientId,
    ARM_TENANT_ID: azure.tenantId,
    ARM_SUBSCRIPTION_ID: azure.subscriptionId,
  };
  if (azure.useOidc) vars.ARM_USE_OIDC = 'true';
  if (azure.oidcTokenFilePath !== undefined) vars.ARM_OIDC_TOKEN_FILE_PATH = azure.oidcTokenFilePath;
  return vars;
}

function entryVariables(
  file: string,
  field: string,
  entry: CredentialEntry | undefined,
  processEnv: Readonly<Record<string, string | undefined>>,
  missing: string[],
): Record<string, string> {
  if (!entry) return {};
  const vars: Record<string, string> = {};
  for (const name of entry.passEnv) {
    const value = processEnv[name];
    if (value === undefined || value === '') missing.push(`${file}: ${field}.passEnv: ${name} is not set in the controller's environment`);
    else vars[name] = value;
  }
  return { ...vars, ...(entry.aws ? awsVariables(entry.aws) : {}), ...(entry.azure ? azureVariables(entry.azure) : {}) };
}

export interface ResolveOptions {
  /** Learns every resolved value as a held secret. */
  readonly held?: SecretSink;
  /** Resolve the apply set too (a plan alone needs only the plan set's variables). @default true */
  readonly apply?: boolean;
}

/**
 * The plan and apply sets of one environment file (`file` names it in errors); a missing block or entry
 * is an empty set. Throws one CredentialsError naming every passEnv variable the controller's
 * environment lacks, one line each.
 */
export function resolveCredentials(
  file: string,
  environment: Pick<Environment, 'credentials'>,
  processEnv: Readonly<Record<string, string | undefined>> = process.env,
  opts: ResolveOptions = {},
): TerraformCredentials {
  const missing: string[] = [];
  const plan = entryVariables(file, 'credentials.plan', environment.credentials?.plan, processEnv, missing);
  const apply = opts.apply === false ? {} : entryVariables(file, 'credentials.apply', environment.credentials?.apply, processEnv, missing);
  if (missing.length > 0) throw new CredentialsError(missing.join('\n'));
  for (const value of [...Object.values(plan), ...Object.values(apply)]) opts.held?.add(value);
  return { plan, apply };
}
