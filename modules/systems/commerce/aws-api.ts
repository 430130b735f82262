// The commerce sign-in and REST API: a Cognito user pool, and API Gateway (regional) in front of the
// four service functions with every method authorized by that pool, behind a regional WAF web ACL.
import { Construct } from 'constructs';
import { CognitoUserPool } from '../../aws/api/cognito-user-pool.js';
import type { LambdaFunction } from '../../aws/api/lambda-function.js';
import { RestApi, type RestRoute } from '../../aws/api/rest-api.js';
import { WebAcl } from '../../aws/edge/web-acl.js';
import { COMMERCE_SERVICES, SERVICE_SPECS, type CommerceService } from './aws-services.js';

export const API_STAGE = 'v1';

export interface CommerceUserPoolProps {
  readonly prefix: string;
  readonly accountId: string;
  /** The shop's web origin (Cognito callbacks). */
  readonly webDomain: string;
  readonly plan: 'PLUS' | 'ESSENTIALS';
  readonly deletionProtection: boolean;
}

/** Where shoppers sign in: the JWT it issues authorizes the API here and is validated by the Azure functions. */
export function commerceUserPool(scope: Construct, id: string, props: CommerceUserPoolProps): CognitoUserPool {
  return new CognitoUserPool(scope, id, {
    name: props.prefix,
    featurePlan: props.plan,
    // Shoppers create their own accounts; MFA stays on (TOTP).
    selfSignUp: true,
    deletionProtection: props.deletionProtection,
    // Unique per region; the account id keeps environments (accounts) apart.
    domainPrefix: `${props.prefix}-${props.accountId}`,
    clients: {
      web: { kind: 'spa', callbackUrls: [`https://${props.webDomain}/callback`], logoutUrls: [`https://${props.webDomain}/`] },
    },
  });
}

export interface CommerceApiProps {
  readonly prefix: string;
  readonly userPool: CognitoUserPool;
  readonly functions: Readonly<Record<CommerceService, LambdaFunction>>;
  readonly throttleRps: number;
  readonly rateLimitPer5Min: number;
  readonly logRetentionDays: number;
  readonly kmsKeyArn: string;
}

export class CommerceApi extends Construct {
  public readonly api: RestApi;
  public readonly webAcl: WebAcl;

  constructor(scope: Construct, id: string, props: CommerceApiProps) {
    super(scope, id);
    const routes: Record<string, RestRoute> = {};
    for (const service of COMMERCE_SERVICES) {
      const { path } = SERVICE_SPECS[service];
      routes[`ANY /${path}`] = { function: props.functions[service] };
      routes[`ANY /${path}/{proxy+}`] = { function: props.functions[service] };
    }
    this.api = new RestApi(this, 'api', {
      name: props.prefix,
      description: 'Commerce: products, inventory, orders and users (Cognito sign-in required)',
      endpointType: 'REGIONAL',
      authorizers: { users: { type: 'COGNITO_USER_POOLS', userPoolArns: [props.userPool.arn] } },
      defaultAuthorizer: 'users',
      routes,
      stageName: API_STAGE,
      logRetentionDays: props.logRetentionDays,
      logKmsKeyArn: props.kmsKeyArn,
      throttlingRateLimit: props.throttleRps,
      throttlingBurstLimit: Math.min(2 * props.throttleRps, 20_000),
    });

    this.webAcl = new WebAcl(this, 'web-acl', {
      scope: 'REGIONAL',
      name: `${props.prefix}-api`,
      rateLimit: props.rateLimitPer5Min,
      sqlInjectionRules: true,
      logging: { retentionInDays: props.logRetentionDays },
    });
    this.webAcl.associate('api-stage', this.api.stage.arn);
  }
}
