// How API Gateway authenticates the on-premise source (seed 000, note 2): a Lambda authorizer that
// checks the caller's token against credentials kept in Secrets Manager, or a Cognito user pool
// whose app client uses the OAuth client-credentials flow (machine to machine, no users).
import { Construct } from 'constructs';
import { CognitoUserPool } from '../../aws/api/cognito-user-pool.js';
import { LambdaFunction } from '../../aws/api/lambda-function.js';
import type { RestAuthorizer } from '../../aws/api/rest-api.js';
import { Secret } from '../../aws/security/secret.js';
import { functionEntry } from '../function-source.js';

export interface SourceAuthProps {
  readonly kind: 'lambda' | 'cognito';
  /** Prefix of every name, e.g. `ingest-prod`. */
  readonly prefix: string;
  readonly accountId: string;
  readonly kmsKeyArn: string;
  readonly logRetentionDays: number;
  readonly deletionProtection: boolean;
  /** Where failed asynchronous invocations of the authorizer function go. */
  readonly deadLetterQueueArn: string;
  readonly vpc: { readonly subnetIds: readonly string[]; readonly securityGroupIds: readonly string[] };
}

/** The OAuth scope a Cognito access token must carry to post messages. */
export const WRITE_SCOPE = 'ingest/write';

export class SourceAuth extends Construct {
  /** What RestApi's `authorizers` takes. */
  public readonly authorizer: RestAuthorizer;
  /** Scopes the routes require (Cognito only). */
  public readonly scopes?: string[];
  /** Set for the Lambda authorizer. */
  public readonly function?: LambdaFunction;
  /** Set for the Lambda authorizer: the credentials it checks tokens against (value set outside Terraform). */
  public readonly credentials?: Secret;
  /** Set for Cognito. */
  public readonly userPool?: CognitoUserPool;

  constructor(scope: Construct, id: string, props: SourceAuthProps) {
    super(scope, id);
    if (props.kind === 'lambda') {
      this.credentials = new Secret(this, 'source-credentials', {
        name: `${props.prefix}/source-credentials`,
        description: 'Tokens the on-premise source presents to the ingest API (set outside Terraform)',
        kmsKeyArn: props.kmsKeyArn,
      });
      this.function = new LambdaFunction(this, 'authorizer', {
        name: `${props.prefix}-authorizer`,
        description: 'Checks the on-premise source token before API Gateway accepts a message',
        runtime: 'nodejs22.x',
        handler: 'authorizer.handler',
        entry: functionEntry('ingest', 'authorizer'),
        // API Gateway caches decisions (resultTtlSeconds) and throttles the stage: no reservation needed.
        reservedConcurrency: -1,
        timeoutSeconds: 10,
        deadLetterQueueArn: props.deadLetterQueueArn,
        logRetentionDays: props.logRetentionDays,
        access: { readSecrets: [this.credentials.arn], decryptKeys: [props.kmsKeyArn] },
        environment: { CREDENTIALS_SECRET_ARN: this.credentials.arn },
        vpc: props.vpc,
      });
      this.authorizer = {
        type: 'TOKEN',
        function: this.function,
        identityValidationExpression: '^Bearer [-0-9A-Za-z._~+/]+=*$',
        resultTtlSeconds: 300,
      };
      return;
    }

    this.userPool = new CognitoUserPool(this, 'user-pool', {
      name: props.prefix,
      // Machine clients only (client credentials): there are no users for threat protection to watch.
      featurePlan: 'ESSENTIALS',
      deletionProtection: props.deletionProtection,
      resourceServers: { ingest: { name: `${props.prefix} API`, scopes: { write: 'Post messages to the ingest queue' } } },
      clients: { 'on-premise-source': { kind: 'service', scopes: [WRITE_SCOPE] } },
      // The token endpoint's domain is unique per region; the account id keeps it unique.
      domainPrefix: `${props.prefix}-${props.accountId}`,
    });
    this.authorizer = { type: 'COGNITO_USER_POOLS', userPoolArns: [this.userPool.arn] };
    this.scopes = [WRITE_SCOPE];
  }
}
