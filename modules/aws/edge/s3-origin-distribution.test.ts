import { Testing, TerraformStack } from 'cdktf';
import type { Construct } from 'constructs';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { SecureBucket } from '../data/s3-bucket.js';
import { S3OriginDistribution, type S3OriginDistributionProps } from './s3-origin-distribution.js';

type Resource = Record<string, unknown>;
interface Synth {
  resource: Record<string, Record<string, Resource>>;
}
const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/abcd-1234';
const WEB_ACL = 'arn:aws:wafv2:us-east-1:123456789012:global/webacl/shared/1234';

function build(scope: Construct, props: Partial<S3OriginDistributionProps> = {}): S3OriginDistribution {
  const originBucket = new SecureBucket(scope, 'site', { bucketPrefix: 'site-' });
  return new S3OriginDistribution(scope, 'web', { originBucket, domainNames: ['www.example.com'], hostedZoneId: 'Z1', ...props });
}
const synthDistribution = (props: Partial<S3OriginDistributionProps> = {}): Synth =>
  JSON.parse(Testing.synthScope((scope) => build(scope, props))) as Synth;
const all = (synth: Synth, type: string): Resource[] => Object.values(synth.resource[type] ?? {});
const only = (synth: Synth, type: string): Resource => {
  const found = all(synth, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, got ${found.length}`);
  return found[0];
};
const distributionOf = (synth: Synth) => only(synth, 'aws_cloudfront_distribution') as Record<string, Record<string, unknown>>;
const bucketPolicy = (synth: Synth, bucket: 'site' | 'web_access-logs') => {
  const [, policy] = Object.entries(synth.resource.aws_s3_bucket_policy).find(([key]) => key.startsWith(`${bucket}_policy_`))!;
  return JSON.parse(policy.policy as string) as { Statement: Array<Record<string, unknown>> };
};

describe('S3OriginDistribution', () => {
  describe('GIVEN a private bucket, a domain name and its hosted zone', () => {
    const synth = synthDistribution();
    const distribution = distributionOf(synth);

    test('WHEN synthesized THEN the origin is read through origin access control (SigV4, always signed), not a public website endpoint', () => {
      expect(only(synth, 'aws_cloudfront_origin_access_control')).toMatchObject({
        origin_access_control_origin_type: 's3',
        signing_behavior: 'always',
        signing_protocol: 'sigv4',
      });
      expect(distribution.origin).toEqual([
        {
          origin_id: 's3-origin',
          domain_name: expect.stringContaining('aws_s3_bucket.site_bucket'),
          origin_access_control_id: expect.stringContaining('aws_cloudfront_origin_access_control.web_origin-access-control'),
        },
      ]);
      expect(String((distribution.origin as unknown as Resource[])[0].domain_name)).toContain('bucket_regional_domain_name');
    });

    test('WHEN synthesized THEN the bucket policy lets only this distribution read objects, beside the TLS-only deny', () => {
      const statements = bucketPolicy(synth, 'site').Statement;
      expect(statements.map((s) => s.Sid)).toEqual(['DenyInsecureTransport', 'AllowCloudFrontOriginAccessControl']);
      expect(statements[1]).toEqual({
        Sid: 'AllowCloudFrontOriginAccessControl',
        Effect: 'Allow',
        Principal: { Service: ['cloudfront.amazonaws.com'] },
        Action: ['s3:GetObject'],
        Resource: [expect.stringMatching(/^\$\{aws_s3_bucket\.site_bucket_[0-9A-F]{8}\.arn\}\/\*$/)],
        Condition: { StringEquals: { 'AWS:SourceArn': [expect.stringContaining('aws_cloudfront_distribution.web_distribution')] } },
      });
    });

    test('WHEN synthesized THEN viewers are redirected to HTTPS (CKV_AWS_34) and get security headers and compressed, cached responses', () => {
      expect(distribution.default_cache_behavior).toEqual({
        target_origin_id: 's3-origin',
        viewer_protocol_policy: 'redirect-to-https',
        allowed_methods: ['GET', 'HEAD', 'OPTIONS'],
        cached_methods: ['GET', 'HEAD'],
        compress: true,
        cache_policy_id: '658327ea-f89d-4fab-a63d-7e88639e58f6',
        response_headers_policy_id: expect.stringContaining('aws_cloudfront_response_headers_policy.web_security-headers_policy'),
      });
      expect(distribution).toMatchObject({
        enabled: true,
        default_root_object: 'index.html',
        http_version: 'http2and3',
        is_ipv6_enabled: true,
        price_class: 'PriceClass_100',
      });
    });

    test('WHEN synthesized THEN TLS 1.2_2021 with SNI on a DNS-validated certificate issued in us-east-1 is used (CKV_AWS_174)', () => {
      expect(distribution.viewer_certificate).toEqual({
        acm_certificate_arn: expect.stringContaining('aws_acm_certificate_validation.web_certificate_validation'),
        ssl_support_method: 'sni-only',
        minimum_protocol_version: 'TLSv1.2_2021',
      });
      expect(only(synth, 'aws_acm_certificate')).toMatchObject({
        domain_name: 'www.example.com',
        region: 'us-east-1',
        validation_method: 'DNS',
      });
      expect(distribution.aliases).toEqual(['www.example.com']);
    });

    test('WHEN synthesized THEN a CLOUDFRONT web ACL with KnownBadInputs is attached (CKV_AWS_68, CKV_AWS_192)', () => {
      expect(distribution.web_acl_id).toEqual(expect.stringContaining('aws_wafv2_web_acl.web_web-acl'));
      const acl = only(synth, 'aws_wafv2_web_acl');
      expect(acl).toMatchObject({ scope: 'CLOUDFRONT', region: 'us-east-1' });
      expect((acl.rule as Resource[]).map((r) => r.name)).toContain('AWSManagedRulesKnownBadInputsRuleSet');
    });

    test('WHEN synthesized THEN access logs go to a new private log bucket that accepts CloudFront ACL grants and expires logs (CKV_AWS_86)', () => {
      expect(distribution.logging_config).toEqual({
        bucket: expect.stringMatching(/aws_s3_bucket\.web_access-logs_bucket_[0-9A-F]{8}\.bucket_domain_name/),
        include_cookies: false,
        prefix: 'cloudfront/web/',
      });
      const ownership = all(synth, 'aws_s3_bucket_ownership_controls').find((o) => String(o.bucket).includes('web_access-logs'))!;
      expect(ownership.rule).toEqual({ object_ownership: 'BucketOwnerPreferred' });
      const lifecycle = all(synth, 'aws_s3_bucket_lifecycle_configuration').find((l) => String(l.bucket).includes('web_access-logs'))!;
      expect(lifecycle.rule).toEqual(
        expect.arrayContaining([expect.objectContaining({ id: 'expire-access-logs', expiration: [{ days: 365 }] })]),
      );
    });

    test('WHEN synthesized THEN A and AAAA aliases point the domain at the distribution, and no Shield protection exists', () => {
      const aliases = all(synth, 'aws_route53_record').filter((r) => r.alias !== undefined);
      expect(aliases.map((r) => [r.name, r.type]).sort()).toEqual([
        ['www.example.com', 'A'],
        ['www.example.com', 'AAAA'],
      ]);
      expect(aliases[0]).toMatchObject({
        zone_id: 'Z1',
        alias: { evaluate_target_health: false, zone_id: expect.stringContaining('.hosted_zone_id') },
      });
      expect(synth.resource.aws_shield_protection).toBeUndefined();
    });

    test('WHEN synthesized THEN account-unique names carry the construct address', () => {
      const oacName = String(only(synth, 'aws_cloudfront_origin_access_control').name);
      expect(oacName).toMatch(/^web-[0-9a-f]{8}$/);
      expect(only(synth, 'aws_cloudfront_response_headers_policy').name).toBe(`${oacName}-security-headers`);
      expect(only(synth, 'aws_wafv2_web_acl').name).toBe(oacName);
    });
  });

  test('GIVEN an existing certificate, web ACL and log bucket WHEN synthesized THEN none is created and no DNS record is written', () => {
    const json = Testing.synthScope((scope) => {
      const logBucket = new SecureBucket(scope, 'logs', { bucketPrefix: 'logs-', objectOwnership: 'BucketOwnerPreferred' });
      build(scope, { hostedZoneId: undefined, certificateArn: CERT, webAclArn: WEB_ACL, logBucket });
    });
    const synth = JSON.parse(json) as Synth;
    const distribution = distributionOf(synth);
    expect(distribution.viewer_certificate).toEqual({
      acm_certificate_arn: CERT,
      ssl_support_method: 'sni-only',
      minimum_protocol_version: 'TLSv1.2_2021',
    });
    expect(distribution.web_acl_id).toBe(WEB_ACL);
    expect(distribution.logging_config.bucket).toMatch(/aws_s3_bucket\.logs_bucket/);
    for (const type of ['aws_acm_certificate', 'aws_wafv2_web_acl', 'aws_route53_record']) expect(synth.resource[type]).toBeUndefined();
    expect(all(synth, 'aws_s3_bucket')).toHaveLength(2);
  });

  test('GIVEN awaitCertificateValidation false (a zone not yet delegated) WHEN synthesized THEN the certificate and its records exist but nothing waits, and the distribution names the certificate itself', () => {
    const synth = synthDistribution({ awaitCertificateValidation: false });
    expect(all(synth, 'aws_acm_certificate')).toHaveLength(1);
    expect(synth.resource.aws_acm_certificate_validation).toBeUndefined();
    expect(distributionOf(synth).viewer_certificate).toMatchObject({
      acm_certificate_arn: expect.stringMatching(/^\$\{aws_acm_certificate\.web_certificate_[0-9A-F]{8}\.arn\}$/),
    });
  });

  test('GIVEN useDefaultCertificate WHEN synthesized THEN the insecure *.cloudfront.net certificate is used without aliases', () => {
    const distribution = distributionOf(
      synthDistribution({ domainNames: undefined, hostedZoneId: undefined, useDefaultCertificate: true }),
    );
    expect(distribution.viewer_certificate).toEqual({ cloudfront_default_certificate: true });
    expect(distribution).not.toHaveProperty('aliases');
  });

  test('GIVEN optional settings WHEN synthesized THEN the distribution, headers, web ACL and Shield follow them', () => {
    const synth = synthDistribution({
      domainNames: ['example.com', 'www.example.com'],
      minimumProtocolVersion: 'TLSv1.3_2025',
      priceClass: 'PriceClass_All',
      defaultRootObject: 'home.html',
      geoRestriction: { type: 'whitelist', locations: ['DE', 'FR'] },
      cachePolicyId: 'custom-policy',
      securityHeaders: { frameOption: 'SAMEORIGIN' },
      webAcl: { sqlInjectionRules: true, rateLimit: 100 },
      shieldAdvanced: true,
      logRetentionDays: 30,
      name: 'shop',
    });
    const distribution = distributionOf(synth);
    expect(distribution.viewer_certificate.minimum_protocol_version).toBe('TLSv1.3_2025');
    expect(distribution).toMatchObject({
      price_class: 'PriceClass_All',
      default_root_object: 'home.html',
      aliases: ['example.com', 'www.example.com'],
    });
    expect(distribution.restrictions).toEqual({ geo_restriction: { restriction_type: 'whitelist', locations: ['DE', 'FR'] } });
    expect(distribution.default_cache_behavior.cache_policy_id).toBe('custom-policy');
    expect(distribution.logging_config.prefix).toBe('cloudfront/shop/');
    expect(only(synth, 'aws_acm_certificate')).toMatchObject({
      domain_name: 'example.com',
      subject_alternative_names: ['www.example.com'],
    });
    expect(all(synth, 'aws_route53_record').filter((r) => r.alias !== undefined)).toHaveLength(4);
    expect((only(synth, 'aws_cloudfront_response_headers_policy').security_headers_config as Resource).frame_options).toEqual({
      frame_option: 'SAMEORIGIN',
      override: true,
    });
    expect((only(synth, 'aws_wafv2_web_acl').rule as Resource[]).map((r) => r.name)).toContain('AWSManagedRulesSQLiRuleSet');
    expect(only(synth, 'aws_shield_protection')).toMatchObject({
      resource_arn: expect.stringContaining('aws_cloudfront_distribution.web_distribution'),
    });
    const lifecycle = all(synth, 'aws_s3_bucket_lifecycle_configuration').find((l) => String(l.bucket).includes('web_access-logs'))!;
    expect(lifecycle.rule).toEqual(
      expect.arrayContaining([expect.objectContaining({ id: 'expire-access-logs', expiration: [{ days: 30 }] })]),
    );
  });

  test('GIVEN a us-east-1 provider WHEN synthesized THEN the certificate and web ACL use it instead of a resource region', () => {
    const stack = new TerraformStack(Testing.app(), 'edge');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    const usEast1Provider = new AwsProvider(stack, 'use1', { region: 'us-east-1', alias: 'use1' });
    build(stack, { usEast1Provider });
    const synth = JSON.parse(Testing.synth(stack)) as Synth;
    for (const type of ['aws_acm_certificate', 'aws_acm_certificate_validation', 'aws_wafv2_web_acl']) {
      expect(only(synth, type)).toMatchObject({ provider: 'aws.use1' });
      expect(only(synth, type)).not.toHaveProperty('region');
    }
    expect(only(synth, 'aws_cloudfront_distribution')).not.toHaveProperty('provider');
  });

  test('GIVEN no certificate and no useDefaultCertificate WHEN constructed THEN the error names the three ways out', () => {
    expect(() => synthDistribution({ domainNames: undefined, hostedZoneId: undefined })).toThrow(
      'S3OriginDistribution stack/web: a certificate is required: give certificateArn, or domainNames with hostedZoneId to issue one; or set useDefaultCertificate: true to accept the *.cloudfront.net certificate, which cannot enforce TLS 1.2 (CKV_AWS_174)',
    );
  });

  test('GIVEN many bad props WHEN constructed THEN one error lists every problem with the value and what is allowed', () => {
    const attempt = () =>
      synthDistribution({
        domainNames: ['www.example.com', 'www.example.com', 'bad name'],
        useDefaultCertificate: true,
        certificateArn: 'arn:aws:acm:eu-west-1:123456789012:certificate/abcd',
        minimumProtocolVersion: 'TLSv1' as never,
        webAclArn: 'arn:aws:wafv2:eu-west-1:123456789012:regional/webacl/x/1',
        webAcl: { rateLimit: 100 },
        priceClass: 'PriceClass_1' as never,
        defaultRootObject: '/index.html',
        logRetentionDays: 0,
        geoRestriction: { type: 'allow' as never, locations: ['germany'] },
        name: 'my site',
      });
    let message = '';
    try {
      attempt();
    } catch (e) {
      message = (e as Error).message;
    }
    expect(message.startsWith('S3OriginDistribution stack/web: ')).toBe(true);
    for (const fragment of [
      'domainNames entry must be a DNS name like "www.example.com" (got "bad name")',
      'domainNames must be unique (got ["www.example.com"] more than once)',
      'useDefaultCertificate cannot serve domainNames or use certificateArn',
      'minimumProtocolVersion needs a certificate; the default certificate ignores it (got "TLSv1")',
      'certificateArn must be an ACM certificate ARN in us-east-1 (CloudFront uses no other region) (got "arn:aws:acm:eu-west-1:123456789012:certificate/abcd")',
      'webAclArn must be a CLOUDFRONT-scope WAFv2 web ACL ARN',
      'give webAclArn or webAcl options, not both',
      'minimumProtocolVersion must be one of "TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025" (got "TLSv1")',
      'priceClass must be one of "PriceClass_100", "PriceClass_200", "PriceClass_All" (got "PriceClass_1")',
      'defaultRootObject must be an object key without a leading "/", like "index.html" (got "/index.html")',
      'logRetentionDays must be an integer between 1 and 36500 (got 0)',
      'geoRestriction.type must be one of "whitelist", "blacklist" (got "allow")',
      'geoRestriction.locations entry must be an ISO 3166-1 alpha-2 country code like "DE" (got "germany")',
      'name must be 1-48 letters, digits, "_" or "-" (got "my site")',
    ]) {
      expect(message).toContain(fragment);
    }
  });

  test('GIVEN DNS props without domain names WHEN constructed THEN the error says domainNames are needed', () => {
    expect(() => synthDistribution({ domainNames: [], certificateArn: CERT })).toThrow(
      'certificateArn needs domainNames: CloudFront serves a custom certificate only for alternate domain names (got domainNames []); hostedZoneId needs domainNames to issue a certificate and alias records for (got domainNames [])',
    );
  });
});
