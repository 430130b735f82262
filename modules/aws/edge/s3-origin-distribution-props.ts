// The props of S3OriginDistribution: the bucket, domains and certificate, TLS, WAF, logs and caching.
import type { TerraformProvider } from 'cdktf';
import type { SecureBucket } from '../data/s3-bucket.js';
import type { SecurityHeadersOptions } from './security-headers-policy.js';
import type { WebAclProps } from './web-acl.js';

export type MinimumTlsVersion = 'TLSv1.2_2021' | 'TLSv1.2_2025' | 'TLSv1.3_2025';
export type PriceClass = 'PriceClass_100' | 'PriceClass_200' | 'PriceClass_All';
/** AWS managed cache policy "CachingOptimized". */
export const CACHING_OPTIMIZED_POLICY_ID = '658327ea-f89d-4fab-a63d-7e88639e58f6';

export interface S3OriginDistributionProps {
  /** The private bucket served; the distribution adds its read permission to the bucket policy. */
  readonly originBucket: SecureBucket;
  /** Alternate domain names, e.g. `['www.example.com']`. Need `certificateArn` or `hostedZoneId`. @default none (served on *.cloudfront.net) */
  readonly domainNames?: readonly string[];
  /** Route 53 zone of `domainNames`: a certificate is issued and validated there, and A/AAAA aliases are created. @default no DNS records */
  readonly hostedZoneId?: string;
  /** An issued ACM certificate in us-east-1 covering `domainNames`. @default issued in `hostedZoneId` */
  readonly certificateArn?: string;
  /**
   * Wait for the certificate issued in `hostedZoneId` to be validated. Turn off only while that zone is not yet
   * delegated: CloudFront then refuses the pending certificate until a later apply after delegation.
   * @default true
   */
  readonly awaitCertificateValidation?: boolean;
  /** The us-east-1 aliased AwsProvider for the certificate and web ACL. @default those resources set `region = "us-east-1"` */
  readonly usEast1Provider?: TerraformProvider;
  /**
   * Serve on *.cloudfront.net with CloudFront's default certificate. INSECURE: that certificate
   * cannot enforce a TLS 1.2 minimum (clients may use TLS 1.0) and fails CKV_AWS_174.
   * @default false: a certificate (certificateArn or domainNames + hostedZoneId) is required
   */
  readonly useDefaultCertificate?: boolean;
  /** @default 'TLSv1.2_2021' */
  readonly minimumProtocolVersion?: MinimumTlsVersion;
  /** An existing CLOUDFRONT-scope web ACL ARN. @default a new WebAcl with `webAcl` options */
  readonly webAclArn?: string;
  /** Options of the web ACL created when `webAclArn` is not given. @default WebAcl defaults */
  readonly webAcl?: Omit<WebAclProps, 'scope' | 'provider' | 'name'>;
  /** Bucket for standard access logs (needs objectOwnership BucketOwnerPreferred). @default a new SecureBucket */
  readonly logBucket?: SecureBucket;
  /** Days access logs are kept in the bucket this construct creates. @default 365 */
  readonly logRetentionDays?: number;
  /** @default 'index.html' */
  readonly defaultRootObject?: string;
  /** @default 'PriceClass_100' (North America and Europe edge locations) */
  readonly priceClass?: PriceClass;
  /** Serve only to (`whitelist`) or refuse (`blacklist`) these ISO 3166-1 alpha-2 countries. @default no restriction */
  readonly geoRestriction?: { readonly type: 'whitelist' | 'blacklist'; readonly locations: readonly string[] };
  /** @default HSTS two years with subdomains, nosniff, DENY, strict-origin-when-cross-origin */
  readonly securityHeaders?: SecurityHeadersOptions;
  /** @default CACHING_OPTIMIZED_POLICY_ID */
  readonly cachePolicyId?: string;
  /** Protect the distribution with Shield Advanced (needs an active subscription). @default false */
  readonly shieldAdvanced?: boolean;
  /** Prefix of account-unique names (OAC, headers policy, web ACL). @default the construct id */
  readonly name?: string;
}
