import { Testing } from 'cdktf';
import { SecurityHeadersPolicy, type SecurityHeadersPolicyProps } from './security-headers-policy.js';

type Resource = Record<string, unknown>;
const synthPolicy = (props: Partial<SecurityHeadersPolicyProps> = {}): Resource => {
  const synth = JSON.parse(
    Testing.synthScope((scope) => new SecurityHeadersPolicy(scope, 'headers', { name: 'site-headers', ...props })),
  ) as {
    resource: Record<string, Record<string, Resource>>;
  };
  return Object.values(synth.resource.aws_cloudfront_response_headers_policy)[0];
};

describe('SecurityHeadersPolicy', () => {
  test('GIVEN only a name WHEN synthesized THEN HSTS (2 years, subdomains, no preload), nosniff, DENY and strict referrer policy override the origin', () => {
    expect(synthPolicy()).toEqual({
      name: 'site-headers',
      comment: expect.any(String),
      security_headers_config: {
        strict_transport_security: { access_control_max_age_sec: 63072000, include_subdomains: true, preload: false, override: true },
        content_type_options: { override: true },
        frame_options: { frame_option: 'DENY', override: true },
        referrer_policy: { referrer_policy: 'strict-origin-when-cross-origin', override: true },
      },
    });
  });

  test('GIVEN every option WHEN synthesized THEN the headers follow them, including a Content-Security-Policy', () => {
    const config = synthPolicy({
      hstsMaxAgeSeconds: 31536000,
      hstsPreload: true,
      frameOption: 'SAMEORIGIN',
      referrerPolicy: 'no-referrer',
      contentSecurityPolicy: "default-src 'self'",
    }).security_headers_config as Record<string, unknown>;
    expect(config).toMatchObject({
      strict_transport_security: { access_control_max_age_sec: 31536000, preload: true, include_subdomains: true },
      frame_options: { frame_option: 'SAMEORIGIN' },
      referrer_policy: { referrer_policy: 'no-referrer' },
      content_security_policy: { content_security_policy: "default-src 'self'", override: true },
    });
  });

  test('GIVEN bad options WHEN constructed THEN one error lists every problem with the value and what is allowed', () => {
    expect(() =>
      synthPolicy({
        name: 'bad name',
        hstsMaxAgeSeconds: 3600,
        frameOption: 'ALLOW' as never,
        referrerPolicy: 'everything' as never,
        contentSecurityPolicy: ' ',
        hstsPreload: true,
        hstsIncludeSubdomains: false,
      }),
    ).toThrow(
      [
        'SecurityHeadersPolicy stack/headers: name must be 1-128 letters, digits, "_" or "-" (got "bad name")',
        'hstsMaxAgeSeconds must be an integer between 31536000 and 2147483647 (got 3600)',
        'frameOption must be one of "DENY", "SAMEORIGIN" (got "ALLOW")',
        'referrerPolicy must be one of "no-referrer", "no-referrer-when-downgrade", "origin", "origin-when-cross-origin", "same-origin", "strict-origin", "strict-origin-when-cross-origin", "unsafe-url" (got "everything")',
        'contentSecurityPolicy must be 1-1783 characters (got 1 characters)',
        'hstsPreload needs hstsIncludeSubdomains (browsers refuse preload without it; got hstsIncludeSubdomains: false)',
      ].join('; '),
    );
  });
});
