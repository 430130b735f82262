// Prop checks for RestApi: every route parsed and authorized (or explicitly not), integrations
// and authorizers that exist, and a private endpoint that names who may call it.
import type { Construct } from 'constructs';
import { PropProblems } from '../../core/validation.js';
import { LOG_RETENTION_DAYS } from '../observability/log-group.js';
import { checkKeys, KMS_KEY_ARN, KMS_KEY_ARN_WHAT } from '../compute/checks.js';
import type { RestApiProps } from './rest-api-props.js';
import { checkRoutes, type ParsedRoute } from './routes.js';

/** Validates `props`; returns the parsed routes by key. */
export function validateRestApi(scope: Construct, props: RestApiProps): [string, ParsedRoute][] {
  const endpointType = props.endpointType ?? 'REGIONAL';
  const p = new PropProblems(scope, 'RestApi')
    .matches('name', props.name, /^[A-Za-z0-9][A-Za-z0-9 _.-]{0,127}$/, '1-128 letters, digits, spaces, "_", "." or "-"')
    .oneOf('endpointType', props.endpointType, ['REGIONAL', 'PRIVATE'])
    .matches('stageName', props.stageName, /^[A-Za-z0-9_-]{1,128}$/, '1-128 letters, digits, "_" or "-"')
    .oneOf('logRetentionDays', props.logRetentionDays, LOG_RETENTION_DAYS as readonly number[])
    .matches('logKmsKeyArn', props.logKmsKeyArn, KMS_KEY_ARN, KMS_KEY_ARN_WHAT)
    .range('throttlingRateLimit', props.throttlingRateLimit, 1, 100000, false)
    .range('throttlingBurstLimit', props.throttlingBurstLimit, 1, 100000)
    .oneOf('executionLoggingLevel', props.executionLoggingLevel, ['OFF', 'ERROR', 'INFO']);
  const vpce = props.vpcEndpointIds ?? [];
  if (endpointType === 'PRIVATE') {
    p.check(
      vpce.length > 0,
      'vpcEndpointIds must list the execute-api VPC endpoints allowed to call a PRIVATE API (got none)',
      props.vpcEndpointIds,
    );
  } else {
    p.check(
      props.vpcEndpointIds === undefined,
      `vpcEndpointIds applies to PRIVATE APIs only (got endpointType ${JSON.stringify(endpointType)})`,
    );
  }
  for (const id of vpce) p.matches('vpcEndpointIds', id, /^vpce-[0-9a-f]{8,17}$/, 'VPC endpoint ids like "vpce-0123456789abcdef0"');

  const authorizers = props.authorizers ?? {};
  const authorizerNames = Object.keys(authorizers);
  const have = `(have: ${authorizerNames.join(', ') || 'none'})`;
  checkKeys(p, 'authorizers', authorizers);
  checkKeys(p, 'vpcLinks', props.vpcLinks);
  for (const [name, a] of Object.entries(authorizers)) {
    p.oneOf(`authorizers.${name}.type`, a.type, ['TOKEN', 'REQUEST', 'COGNITO_USER_POOLS']);
    if (a.type === 'COGNITO_USER_POOLS') {
      p.check(a.userPoolArns.length > 0, `authorizers.${name}.userPoolArns must list at least one user pool (got none)`, a.userPoolArns);
    } else {
      p.range(`authorizers.${name}.resultTtlSeconds`, a.resultTtlSeconds, 0, 3600);
    }
  }
  if (props.defaultAuthorizer !== undefined) {
    p.check(
      authorizerNames.includes(props.defaultAuthorizer),
      `defaultAuthorizer must be an authorizers key ${have} (got ${JSON.stringify(props.defaultAuthorizer)})`,
    );
  }

  const parsed = checkRoutes(p, props, authorizerNames, 'method', (at, route, authorize) => {
    if (route.vpcLink) p.matches(`${at}.vpcLink.uri`, route.vpcLink.uri, /^https?:\/\/\S+$/, 'an http(s):// URL of the backend');
    const authorizer = authorize();
    if (route.authorizationScopes !== undefined) {
      p.check(
        authorizer !== undefined && authorizers[authorizer]?.type === 'COGNITO_USER_POOLS',
        `${at}.authorizationScopes need a COGNITO_USER_POOLS authorizer (got ${authorizer === undefined ? 'none' : `${authorizers[authorizer]?.type ?? 'unknown'} authorizer ${JSON.stringify(authorizer)}`})`,
      );
    }
  });
  checkParameterNames(p, parsed);
  p.throwIfAny();
  return parsed;
}

/** API Gateway has one resource per path: `/orders/{id}` and `/orders/{orderId}/items` cannot both exist. */
function checkParameterNames(p: PropProblems, routes: [string, ParsedRoute][]): void {
  const paramAt = new Map<string, string>();
  for (const [key, route] of routes) {
    route.segments.forEach((segment, i) => {
      if (!segment.startsWith('{')) return;
      const parent = `/${route.segments.slice(0, i).join('/')}`;
      const seen = paramAt.get(parent);
      p.check(
        seen === undefined || seen === segment,
        `routes["${key}"] uses ${segment} under ${parent} where another route uses ${seen} (one parameter name per position)`,
      );
      if (seen === undefined) paramAt.set(parent, segment);
    });
  }
}
