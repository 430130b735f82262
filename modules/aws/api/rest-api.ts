// A REST API (API Gateway v1) where every method is authorized unless a route says
// `allowUnauthenticated: true`, with Lambda proxy or VPC-link integrations, a stage that writes
// JSON access logs and X-Ray traces, throttling, and a deployment that follows the definition.
import { Fn } from 'cdktf';
import { Construct } from 'constructs';
import { ApiGatewayRestApi } from '@cdktf/provider-aws/lib/api-gateway-rest-api/index.js';
import { ApiGatewayRestApiPolicy } from '@cdktf/provider-aws/lib/api-gateway-rest-api-policy/index.js';
import { ApiGatewayResource } from '@cdktf/provider-aws/lib/api-gateway-resource/index.js';
import { ApiGatewayMethod } from '@cdktf/provider-aws/lib/api-gateway-method/index.js';
import { ApiGatewayIntegration } from '@cdktf/provider-aws/lib/api-gateway-integration/index.js';
import { ApiGatewayAuthorizer } from '@cdktf/provider-aws/lib/api-gateway-authorizer/index.js';
import { ApiGatewayDeployment } from '@cdktf/provider-aws/lib/api-gateway-deployment/index.js';
import { ApiGatewayStage } from '@cdktf/provider-aws/lib/api-gateway-stage/index.js';
import { ApiGatewayMethodSettings } from '@cdktf/provider-aws/lib/api-gateway-method-settings/index.js';
import { ApiGatewayVpcLink } from '@cdktf/provider-aws/lib/api-gateway-vpc-link/index.js';
import type { ITerraformDependable } from 'cdktf';
import { LogGroup } from '../observability/log-group.js';
import { policyDocument } from '../security/policy-document.js';
import { REST_ACCESS_LOG_FORMAT } from './access-log-format.js';
import { allowApiGatewayInvoke, type ParsedRoute, routeId, routeSourceArn } from './routes.js';
import type { RestApiProps, RestAuthorizer, RestRoute } from './rest-api-props.js';
import { validateRestApi } from './rest-api-validation.js';

export type { RestApiProps, RestAuthorizer, RestRoute, RestVpcLinkIntegration } from './rest-api-props.js';

export class RestApi extends Construct {
  public readonly api: ApiGatewayRestApi;
  public readonly id: string;
  public readonly executionArn: string;
  public readonly stage: ApiGatewayStage;
  public readonly stageName: string;
  /** `https://<id>.execute-api.<region>.amazonaws.com/<stage>` */
  public readonly url: string;
  public readonly logGroup: LogGroup;
  public readonly deployment: ApiGatewayDeployment;
  public readonly authorizerIds: Record<string, string> = {};
  public readonly vpcLinkIds: Record<string, string> = {};
  private readonly resourceIds = new Map<string, string>();

  constructor(scope: Construct, id: string, props: RestApiProps) {
    super(scope, id);
    const routes = validateRestApi(this, props);
    const endpointType = props.endpointType ?? 'REGIONAL';
    const stageName = props.stageName ?? 'v1';

    this.api = new ApiGatewayRestApi(this, 'api', {
      name: props.name,
      description: props.description,
      endpointConfiguration: {
        types: [endpointType],
        vpcEndpointIds: endpointType === 'PRIVATE' && props.vpcEndpointIds ? [...props.vpcEndpointIds] : undefined,
      },
    });
    this.id = this.api.id;
    this.executionArn = this.api.executionArn;
    this.resourceIds.set('/', this.api.rootResourceId);

    const dependencies: ITerraformDependable[] = [];
    const fingerprint: unknown[] = [];
    if (endpointType === 'PRIVATE') {
      const policy = new ApiGatewayRestApiPolicy(this, 'policy', {
        restApiId: this.api.id,
        policy: this.privatePolicy(props.vpcEndpointIds ?? []),
      });
      dependencies.push(policy);
      fingerprint.push(policy.policy);
    }

    for (const [name, link] of Object.entries(props.vpcLinks ?? {})) {
      this.vpcLinkIds[name] = new ApiGatewayVpcLink(this, `vpc-link-${name}`, {
        name: `${props.name}-${name}`,
        targetArns: [link.targetArn],
      }).id;
    }
    const authorizerTypes: Record<string, RestAuthorizer['type']> = {};
    for (const [name, authorizer] of Object.entries(props.authorizers ?? {})) {
      authorizerTypes[name] = authorizer.type;
      const created = this.createAuthorizer(name, authorizer);
      this.authorizerIds[name] = created.id;
      fingerprint.push([name, created.id, created.authorizerUri, created.identitySource]);
    }

    for (const [key, route] of routes) {
      const spec = props.routes[key]!;
      const authorizer = spec.allowUnauthenticated ? undefined : (spec.authorizer ?? props.defaultAuthorizer);
      const authorization =
        authorizer === undefined ? 'NONE' : authorizerTypes[authorizer] === 'COGNITO_USER_POOLS' ? 'COGNITO_USER_POOLS' : 'CUSTOM';
      const pathParams = Object.fromEntries(route.params.map((p) => [`method.request.path.${p}`, true]));
      const method = new ApiGatewayMethod(this, `method-${routeId(key)}`, {
        restApiId: this.api.id,
        resourceId: this.resourceFor(route.segments),
        httpMethod: route.method,
        authorization,
        authorizerId: authorizer === undefined ? undefined : this.authorizerIds[authorizer],
        authorizationScopes: spec.authorizationScopes && [...spec.authorizationScopes],
        requestParameters: route.params.length > 0 ? pathParams : undefined,
      });
      const integration = this.createIntegration(key, route, spec, method);
      dependencies.push(method, integration);
      fingerprint.push([
        key,
        authorization,
        authorizer ?? null,
        spec.authorizationScopes ?? [],
        method.id,
        integration.id,
        integration.uri,
      ]);
    }

    this.deployment = new ApiGatewayDeployment(this, 'deployment', {
      restApiId: this.api.id,
      // A new deployment whenever a method, integration, authorizer or policy changes.
      triggers: { redeployment: Fn.sha1(Fn.jsonencode(fingerprint)) },
      lifecycle: { createBeforeDestroy: true },
      dependsOn: dependencies,
    });

    this.logGroup = new LogGroup(this, 'access-logs', {
      name: `/aws/apigateway/${props.name}/${stageName}/access`,
      retentionInDays: props.logRetentionDays,
      kmsKeyArn: props.logKmsKeyArn,
    });
    this.stage = new ApiGatewayStage(this, 'stage', {
      restApiId: this.api.id,
      deploymentId: this.deployment.id,
      stageName,
      xrayTracingEnabled: true,
      accessLogSettings: { destinationArn: this.logGroup.arn, format: REST_ACCESS_LOG_FORMAT },
      dependsOn: props.accountLogging ? [props.accountLogging.account] : undefined,
    });
    this.stageName = this.stage.stageName;
    this.url = this.stage.invokeUrl;
    new ApiGatewayMethodSettings(this, 'method-settings', {
      restApiId: this.api.id,
      stageName: this.stage.stageName,
      methodPath: '*/*',
      settings: {
        metricsEnabled: true,
        loggingLevel: props.executionLoggingLevel ?? 'ERROR',
        // Full request/response logging would write tokens and bodies to CloudWatch.
        dataTraceEnabled: false,
        throttlingRateLimit: props.throttlingRateLimit ?? 100,
        throttlingBurstLimit: props.throttlingBurstLimit ?? 200,
      },
    });
  }

  /** The id of the resource for `segments`, creating it and its parents (keyed by path). */
  private resourceFor(segments: string[]): string {
    const path = `/${segments.join('/')}`;
    const known = this.resourceIds.get(path);
    if (known) return known;
    const parentId = this.resourceFor(segments.slice(0, -1));
    const created = new ApiGatewayResource(this, `resource-${routeId(path)}`, {
      restApiId: this.api.id,
      parentId,
      pathPart: segments.at(-1)!,
    }).id;
    this.resourceIds.set(path, created);
    return created;
  }

  private createAuthorizer(name: string, authorizer: RestAuthorizer): ApiGatewayAuthorizer {
    if (authorizer.type === 'COGNITO_USER_POOLS') {
      return new ApiGatewayAuthorizer(this, `authorizer-${name}`, {
        restApiId: this.api.id,
        name,
        type: 'COGNITO_USER_POOLS',
        providerArns: [...authorizer.userPoolArns],
        identitySource: authorizer.identitySource ?? 'method.request.header.Authorization',
      });
    }
    const created = new ApiGatewayAuthorizer(this, `authorizer-${name}`, {
      restApiId: this.api.id,
      name,
      type: authorizer.type,
      authorizerUri: authorizer.function.invokeArn,
      identitySource: authorizer.identitySource ?? 'method.request.header.Authorization',
      identityValidationExpression: authorizer.type === 'TOKEN' ? authorizer.identityValidationExpression : undefined,
      authorizerResultTtlInSeconds: authorizer.resultTtlSeconds ?? 300,
    });
    allowApiGatewayInvoke(this, `authorizer-${name}-permission`, authorizer.function, `${this.api.executionArn}/authorizers/${created.id}`);
    return created;
  }

  private createIntegration(key: string, route: ParsedRoute, spec: RestRoute, method: ApiGatewayMethod): ApiGatewayIntegration {
    const common = { restApiId: this.api.id, resourceId: method.resourceId, httpMethod: method.httpMethod, timeoutMilliseconds: 29000 };
    if (spec.function) {
      allowApiGatewayInvoke(this, `permission-${routeId(key)}`, spec.function, routeSourceArn(this.api.executionArn, route));
      return new ApiGatewayIntegration(this, `integration-${routeId(key)}`, {
        ...common,
        type: 'AWS_PROXY',
        integrationHttpMethod: 'POST',
        uri: spec.function.invokeArn,
      });
    }
    const link = spec.vpcLink!;
    return new ApiGatewayIntegration(this, `integration-${routeId(key)}`, {
      ...common,
      type: 'HTTP_PROXY',
      integrationHttpMethod: link.httpMethod ?? route.method,
      uri: link.uri,
      connectionType: 'VPC_LINK',
      connectionId: this.vpcLinkIds[link.link],
      requestParameters:
        route.params.length > 0
          ? Object.fromEntries(route.params.map((p) => [`integration.request.path.${p}`, `method.request.path.${p}`]))
          : undefined,
    });
  }

  /** Only the listed VPC endpoints may invoke; everything else is denied explicitly. */
  private privatePolicy(vpcEndpointIds: readonly string[]): string {
    const everything = `${this.api.executionArn}/*`;
    return policyDocument([
      {
        sid: 'AllowListedVpcEndpoints',
        actions: ['execute-api:Invoke'],
        resources: [everything],
        principals: { AWS: '*' },
        conditions: { StringEquals: { 'aws:SourceVpce': vpcEndpointIds } },
      },
      {
        sid: 'DenyOtherSources',
        effect: 'Deny',
        actions: ['execute-api:Invoke'],
        resources: [everything],
        principals: { AWS: '*' },
        conditions: { StringNotEquals: { 'aws:SourceVpce': vpcEndpointIds } },
      },
    ]);
  }
}
