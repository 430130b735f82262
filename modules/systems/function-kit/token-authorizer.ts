// An API Gateway TOKEN authorizer: the presented token must equal one of the callers' tokens kept in
// a secret ({"<caller>": "<token>"}); the caller's name becomes the principal. Comparison is in
// constant time, and the policy covers the whole stage because API Gateway caches the decision.
import { createHash, timingSafeEqual } from 'node:crypto';

export interface TokenAuthorizerEvent {
  readonly type: 'TOKEN';
  readonly authorizationToken?: string;
  /** arn:aws:execute-api:<region>:<account>:<api id>/<stage>/<method>/<path> */
  readonly methodArn: string;
}

export interface AuthorizerResult {
  readonly principalId: string;
  readonly policyDocument: {
    readonly Version: '2012-10-17';
    readonly Statement: readonly { readonly Action: 'execute-api:Invoke'; readonly Effect: 'Allow'; readonly Resource: string }[];
  };
  readonly context: { readonly caller: string };
}

export interface TokenAuthorizerOptions {
  /** The callers' tokens by caller name. */
  readonly tokens: () => Promise<Record<string, string>>;
  /** A scheme the token must carry, e.g. `Bearer` for `Authorization: Bearer <token>`. @default the raw value */
  readonly scheme?: string;
}

/** API Gateway answers 401 when an authorizer fails with exactly this message. */
export const UNAUTHORIZED = 'Unauthorized';

export function tokenAuthorizer(options: TokenAuthorizerOptions): (event: TokenAuthorizerEvent) => Promise<AuthorizerResult> {
  return async (event) => {
    const token = presentedToken(event.authorizationToken ?? '', options.scheme);
    if (token === undefined) throw new Error(UNAUTHORIZED);
    const caller = matchingCaller(token, await options.tokens());
    if (caller === undefined) throw new Error(UNAUTHORIZED);
    return {
      principalId: caller,
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: stageArn(event.methodArn) }],
      },
      context: { caller },
    };
  };
}

function presentedToken(header: string, scheme: string | undefined): string | undefined {
  if (scheme === undefined) return header === '' ? undefined : header;
  const [given, token, ...rest] = header.split(' ');
  return given === scheme && token && rest.length === 0 ? token : undefined;
}

/** The caller whose token equals `token`; every token is compared, so the time does not tell which matched. */
export function matchingCaller(token: string, tokens: Record<string, string>): string | undefined {
  const digest = (s: string) => createHash('sha256').update(s).digest();
  const presented = digest(token);
  let found: string | undefined;
  for (const [caller, known] of Object.entries(tokens)) {
    if (timingSafeEqual(presented, digest(known)) && found === undefined) found = caller;
  }
  return found;
}

/** `arn:…:<api id>/<stage>/*`: every method of the stage, since the decision is cached per token. */
export function stageArn(methodArn: string): string {
  const [api, stage] = methodArn.split('/');
  if (!/^arn:aws[\w-]*:execute-api:[\w-]+:\d{12}:\w+$/.test(api ?? '') || !stage) {
    throw new Error(`not an API Gateway method ARN: ${JSON.stringify(methodArn)}`);
  }
  return `${api}/${stage}/*`;
}
