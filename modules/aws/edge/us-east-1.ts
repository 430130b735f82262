// CloudFront only uses certificates and web ACLs that live in us-east-1. Callers pass the
// us-east-1 aliased AwsProvider; without one, resources set AWS provider 6's resource-level
// `region` argument, which reaches the same place with the default provider's credentials.
import { Token, type TerraformProvider } from 'cdktf';
import type { PropProblems } from '../../core/validation.js';

export const CLOUDFRONT_REGION = 'us-east-1';

/** `{ provider }` when a us-east-1 provider is given, otherwise `{ region: 'us-east-1' }`. */
export function inUsEast1(provider: TerraformProvider | undefined): { provider?: TerraformProvider; region?: string } {
  return provider === undefined ? { region: CLOUDFRONT_REGION } : { provider };
}

/** Records a problem when `provider` is an AwsProvider configured for another region. */
export function checkUsEast1Provider(p: PropProblems, prop: string, provider: TerraformProvider | undefined): void {
  const region = (provider as { regionInput?: string } | undefined)?.regionInput;
  if (region === undefined || Token.isUnresolved(region)) return;
  p.check(
    region === CLOUDFRONT_REGION,
    `${prop} must be configured for ${CLOUDFRONT_REGION}, where CloudFront looks for certificates and web ACLs (got ${JSON.stringify(region)})`,
  );
}
