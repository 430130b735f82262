// A CloudFront response-headers policy that sets the security headers browsers act on,
// overriding whatever the origin sends.
import { Construct } from 'constructs';
import { CloudfrontResponseHeadersPolicy } from '@cdktf/provider-aws/lib/cloudfront-response-headers-policy/index.js';
import { PropProblems } from '../../core/validation.js';

export const REFERRER_POLICIES = [
  'no-referrer',
  'no-referrer-when-downgrade',
  'origin',
  'origin-when-cross-origin',
  'same-origin',
  'strict-origin',
  'strict-origin-when-cross-origin',
  'unsafe-url',
] as const;

export interface SecurityHeadersOptions {
  /** Strict-Transport-Security max-age (at least one year). @default 63072000 (two years) */
  readonly hstsMaxAgeSeconds?: number;
  /** @default true */
  readonly hstsIncludeSubdomains?: boolean;
  /** Ask browsers to hard-code HTTPS for the domain (hard to undo: opt in). @default false */
  readonly hstsPreload?: boolean;
  /** @default 'DENY' */
  readonly frameOption?: 'DENY' | 'SAMEORIGIN';
  /** @default 'strict-origin-when-cross-origin' */
  readonly referrerPolicy?: (typeof REFERRER_POLICIES)[number];
  /** Content-Security-Policy value; it depends on the site, so there is none unless given. @default none */
  readonly contentSecurityPolicy?: string;
}

export interface SecurityHeadersPolicyProps extends SecurityHeadersOptions {
  /** Unique in the account: letters, digits, `-`, `_`, at most 128 characters. */
  readonly name: string;
}

export const ONE_YEAR_SECONDS = 31536000;

export class SecurityHeadersPolicy extends Construct {
  public readonly policy: CloudfrontResponseHeadersPolicy;
  public readonly policyId: string;

  constructor(scope: Construct, id: string, props: SecurityHeadersPolicyProps) {
    super(scope, id);
    const p = new PropProblems(this, 'SecurityHeadersPolicy');
    p.matches('name', props.name, /^[A-Za-z0-9_-]{1,128}$/, '1-128 letters, digits, "_" or "-"');
    p.range('hstsMaxAgeSeconds', props.hstsMaxAgeSeconds, ONE_YEAR_SECONDS, 2 ** 31 - 1);
    p.oneOf('frameOption', props.frameOption, ['DENY', 'SAMEORIGIN'] as const);
    p.oneOf('referrerPolicy', props.referrerPolicy, REFERRER_POLICIES);
    p.check(
      props.contentSecurityPolicy === undefined ||
        (props.contentSecurityPolicy.trim().length > 0 && props.contentSecurityPolicy.length <= 1783),
      `contentSecurityPolicy must be 1-1783 characters (got ${props.contentSecurityPolicy?.length} characters)`,
      props.contentSecurityPolicy,
    );
    p.check(
      props.hstsPreload !== true || props.hstsIncludeSubdomains !== false,
      'hstsPreload needs hstsIncludeSubdomains (browsers refuse preload without it; got hstsIncludeSubdomains: false)',
    );
    p.throwIfAny();

    this.policy = new CloudfrontResponseHeadersPolicy(this, 'policy', {
      name: props.name,
      comment: 'Security headers (HSTS, nosniff, frame options, referrer policy)',
      securityHeadersConfig: {
        strictTransportSecurity: {
          accessControlMaxAgeSec: props.hstsMaxAgeSeconds ?? 2 * ONE_YEAR_SECONDS,
          includeSubdomains: props.hstsIncludeSubdomains ?? true,
          preload: props.hstsPreload ?? false,
          override: true,
        },
        contentTypeOptions: { override: true },
        frameOptions: { frameOption: props.frameOption ?? 'DENY', override: true },
        referrerPolicy: { referrerPolicy: props.referrerPolicy ?? 'strict-origin-when-cross-origin', override: true },
        ...(props.contentSecurityPolicy === undefined
          ? {}
          : { contentSecurityPolicy: { contentSecurityPolicy: props.contentSecurityPolicy, override: true } }),
      },
    });
    this.policyId = this.policy.id;
  }
}
