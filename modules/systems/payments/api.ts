// The APIs of one payments region, both with a Cognito authorizer and the regional WAF: the public
// API (REST, REGIONAL, custom domain `api.<domain>` with its own ACM certificate in this region) routes
// to the web server and the external API through a VPC link to their NLB; the internal API is not on
// it: a PRIVATE REST API, callable only through the VPC's execute-api endpoint, routes to it through
// its own VPC link and NLB. The integrations are https to `services.<domain>`, the name on the NLBs'
// TLS certificate (API Gateway verifies it; the VPC link, not DNS, decides where the request goes).
import { Construct } from 'constructs';
import type { ApiGatewayDomainName } from '@cdktf/provider-aws/lib/api-gateway-domain-name/index.js';
import { CognitoUserPool } from '../../aws/api/cognito-user-pool.js';
import { regionalApiDomain } from '../../aws/api/regional-domain.js';
import { RestApi, type RestRoute } from '../../aws/api/rest-api.js';
import type { DnsValidatedCertificate } from '../../aws/edge/certificate.js';
import { WebAcl } from '../../aws/edge/web-acl.js';
import { EXPOSED_PORTS, NLB_OF, type ExposedService, type NlbKey } from './services.js';

export const API_STAGE = 'v1';
/** Resource server of the user pool; its scopes gate the API routes. */
export const SCOPE_SERVER = 'payments';

/** Path prefix of each routed service and the scope a caller needs (none: any signed-in user). */
const ROUTES: Record<ExposedService, { path: string; scope?: string }> = {
  web: { path: 'web' },
  externalApi: { path: 'external', scope: 'external' },
  internalApi: { path: 'internal', scope: 'internal' },
};

export interface PaymentsApiProps {
  readonly prefix: string;
  /** The hosted zone's domain; the API answers on `api.<domain>`. */
  readonly domain: string;
  /** The name on the NLBs' TLS certificate, which the https integrations verify. */
  readonly servicesHost: string;
  readonly hostedZoneId: string;
  /** Wait for the API's certificate to be issued (false while the zone is not yet delegated). @default true */
  readonly awaitCertificateValidation?: boolean;
  readonly accountId: string;
  /** ARN of each NLB (see NLB_OF). */
  readonly nlbArns: Record<NlbKey, string>;
  /** The VPC's execute-api interface endpoint, the only way to the private API. */
  readonly executeApiEndpointId: string;
  readonly logRetentionDays: number;
  readonly kmsKeyArn: string;
  readonly throttleRps: number;
  readonly rateLimitPer5Min: number;
  readonly deletionProtection: boolean;
}

export class PaymentsApi extends Construct {
  public readonly userPool: CognitoUserPool;
  /** The public API: web and the external API. */
  public readonly api: RestApi;
  /** The internal API, private to the VPC. */
  public readonly internalApi: RestApi;
  public readonly webAcl: WebAcl;
  public readonly certificate: DnsValidatedCertificate;
  public readonly domainName: ApiGatewayDomainName;
  public readonly apiDomain: string;
  /** REST API names (the `ApiName` of their CloudWatch metrics). */
  public readonly apiName: string;
  public readonly internalApiName: string;

  constructor(scope: Construct, id: string, props: PaymentsApiProps) {
    super(scope, id);
    this.apiDomain = `api.${props.domain}`;
    this.apiName = props.prefix;
    this.internalApiName = `${props.prefix}-internal`;

    this.userPool = new CognitoUserPool(this, 'users', {
      name: props.prefix,
      deletionProtection: props.deletionProtection,
      // Globally unique per region: the account id keeps environments (accounts) apart.
      domainPrefix: `${props.prefix}-${props.accountId}`,
      resourceServers: {
        [SCOPE_SERVER]: {
          scopes: { external: 'Partner systems call the external API', internal: 'Back-office systems call the internal API' },
        },
      },
      clients: {
        web: { kind: 'spa', callbackUrls: [`https://${props.domain}/callback`], logoutUrls: [`https://${props.domain}/`] },
        partners: { kind: 'service', scopes: [`${SCOPE_SERVER}/external`] },
        backoffice: { kind: 'service', scopes: [`${SCOPE_SERVER}/internal`] },
      },
    });

    const routesTo = (nlb: NlbKey): Record<string, RestRoute> => {
      const routes: Record<string, RestRoute> = {};
      for (const [service, route] of Object.entries(ROUTES) as [ExposedService, (typeof ROUTES)[ExposedService]][]) {
        if (NLB_OF[service] !== nlb) continue;
        routes[`ANY /${route.path}/{proxy+}`] = {
          vpcLink: { link: 'nlb', uri: `https://${props.servicesHost}:${EXPOSED_PORTS[service]}/{proxy}` },
          authorizationScopes: route.scope ? [`${SCOPE_SERVER}/${route.scope}`] : undefined,
        };
      }
      return routes;
    };
    const common = {
      authorizers: { users: { type: 'COGNITO_USER_POOLS' as const, userPoolArns: [this.userPool.arn] } },
      defaultAuthorizer: 'users',
      stageName: API_STAGE,
      logRetentionDays: props.logRetentionDays,
      logKmsKeyArn: props.kmsKeyArn,
      throttlingRateLimit: props.throttleRps,
      throttlingBurstLimit: Math.min(2 * props.throttleRps, 100_000),
    };
    this.api = new RestApi(this, 'api', {
      ...common,
      name: this.apiName,
      description: 'Payments web and external API through the VPC link',
      endpointType: 'REGIONAL',
      vpcLinks: { nlb: { targetArn: props.nlbArns.public } },
      routes: routesTo('public'),
    });
    this.internalApi = new RestApi(this, 'internal-api', {
      ...common,
      name: this.internalApiName,
      description: 'Payments internal API, private to the VPC',
      endpointType: 'PRIVATE',
      vpcEndpointIds: [props.executeApiEndpointId],
      vpcLinks: { nlb: { targetArn: props.nlbArns.internal } },
      routes: routesTo('internal'),
    });

    this.webAcl = new WebAcl(this, 'web-acl', {
      scope: 'REGIONAL',
      name: `${props.prefix}-api`,
      rateLimit: props.rateLimitPer5Min,
      sqlInjectionRules: true,
      logging: { retentionInDays: props.logRetentionDays },
    });
    this.webAcl.associate('api-stage', this.api.stage.arn);
    this.webAcl.associate('internal-api-stage', this.internalApi.stage.arn);

    const domain = regionalApiDomain(this, {
      domainName: this.apiDomain,
      hostedZoneId: props.hostedZoneId,
      awaitValidation: props.awaitCertificateValidation,
      api: this.api,
    });
    this.certificate = domain.certificate;
    this.domainName = domain.domainName;
  }
}
