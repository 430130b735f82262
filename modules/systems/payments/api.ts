// The regional API of one payments region: API Gateway (REST) with a Cognito authorizer, a VPC
// link to the internal NLB in front of the web server and the two APIs, a regional WAF, and the
// custom domain `api.<domain>` (its own ACM certificate in this region) answered by Route 53
// latency routing, so each caller reaches the nearest healthy region.
import { Construct } from 'constructs';
import type { ApiGatewayDomainName } from '@cdktf/provider-aws/lib/api-gateway-domain-name/index.js';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record/index.js';
import { CognitoUserPool } from '../../aws/api/cognito-user-pool.js';
import { regionalApiDomain } from '../../aws/api/regional-domain.js';
import { RestApi, type RestRoute } from '../../aws/api/rest-api.js';
import type { DnsValidatedCertificate } from '../../aws/edge/certificate.js';
import { WebAcl } from '../../aws/edge/web-acl.js';
import { EXPOSED_PORTS, kebab, type ExposedService } from './services.js';

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
  readonly hostedZoneId: string;
  /** Wait for the API's certificate to be issued (false while the zone is not yet delegated). @default true */
  readonly awaitCertificateValidation?: boolean;
  /** AWS region of this stack (the latency record's region). */
  readonly region: string;
  readonly accountId: string;
  readonly nlbArn: string;
  readonly nlbDnsName: string;
  readonly logRetentionDays: number;
  readonly kmsKeyArn: string;
  readonly throttleRps: number;
  readonly rateLimitPer5Min: number;
  readonly deletionProtection: boolean;
}

export class PaymentsApi extends Construct {
  public readonly userPool: CognitoUserPool;
  public readonly api: RestApi;
  public readonly webAcl: WebAcl;
  public readonly certificate: DnsValidatedCertificate;
  public readonly domainName: ApiGatewayDomainName;
  public readonly apiDomain: string;
  public readonly latencyRecord: Route53Record;

  constructor(scope: Construct, id: string, props: PaymentsApiProps) {
    super(scope, id);
    this.apiDomain = `api.${props.domain}`;

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

    const routes: Record<string, RestRoute> = {};
    for (const [service, route] of Object.entries(ROUTES) as [ExposedService, (typeof ROUTES)[ExposedService]][]) {
      routes[`ANY /${route.path}/{proxy+}`] = {
        vpcLink: { link: 'nlb', uri: `http://${props.nlbDnsName}:${EXPOSED_PORTS[service]}/{proxy}` },
        authorizationScopes: route.scope ? [`${SCOPE_SERVER}/${route.scope}`] : undefined,
      };
    }
    this.api = new RestApi(this, 'api', {
      name: props.prefix,
      description: `Payments ${Object.keys(ROUTES).map(kebab).join(', ')} through the VPC link`,
      endpointType: 'REGIONAL',
      authorizers: { users: { type: 'COGNITO_USER_POOLS', userPoolArns: [this.userPool.arn] } },
      defaultAuthorizer: 'users',
      vpcLinks: { nlb: { targetArn: props.nlbArn } },
      routes,
      stageName: API_STAGE,
      logRetentionDays: props.logRetentionDays,
      logKmsKeyArn: props.kmsKeyArn,
      throttlingRateLimit: props.throttleRps,
      throttlingBurstLimit: Math.min(2 * props.throttleRps, 100_000),
    });

    this.webAcl = new WebAcl(this, 'web-acl', {
      scope: 'REGIONAL',
      name: `${props.prefix}-api`,
      rateLimit: props.rateLimitPer5Min,
      sqlInjectionRules: true,
      logging: { retentionInDays: props.logRetentionDays },
    });
    this.webAcl.associate('api-stage', this.api.stage.arn);

    const domain = regionalApiDomain(this, {
      domainName: this.apiDomain,
      hostedZoneId: props.hostedZoneId,
      awaitValidation: props.awaitCertificateValidation,
      api: this.api,
    });
    this.certificate = domain.certificate;
    this.domainName = domain.domainName;
    this.latencyRecord = new Route53Record(this, 'latency-record', {
      zoneId: props.hostedZoneId,
      name: this.apiDomain,
      type: 'A',
      setIdentifier: props.region,
      latencyRoutingPolicy: { region: props.region },
      alias: {
        name: this.domainName.regionalDomainName,
        zoneId: this.domainName.regionalZoneId,
        evaluateTargetHealth: true,
      },
    });
  }
}
