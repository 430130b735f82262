// A CloudFront distribution in front of a private S3 bucket: origin access control (the bucket
// stays private; only this distribution may read it), HTTPS only with TLS ≥ 1.2 on a real ACM
// certificate, security headers, a WAF web ACL, standard access logs and Route 53 aliases.
import { Construct } from 'constructs';
import {
  CloudfrontDistribution,
  type CloudfrontDistributionViewerCertificate,
} from '@cdktf/provider-aws/lib/cloudfront-distribution/index.js';
import { CloudfrontOriginAccessControl } from '@cdktf/provider-aws/lib/cloudfront-origin-access-control/index.js';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record/index.js';
import { ShieldProtection } from '@cdktf/provider-aws/lib/shield-protection/index.js';
import { SecureBucket } from '../data/s3-bucket.js';
import { DnsValidatedCertificate } from './certificate.js';
import { SecurityHeadersPolicy } from './security-headers-policy.js';
import { WebAcl } from './web-acl.js';
import { CACHING_OPTIMIZED_POLICY_ID, type S3OriginDistributionProps } from './s3-origin-distribution-props.js';
import { validateDistributionProps } from './s3-origin-distribution-validation.js';

export { CACHING_OPTIMIZED_POLICY_ID } from './s3-origin-distribution-props.js';
export type { MinimumTlsVersion, PriceClass, S3OriginDistributionProps } from './s3-origin-distribution-props.js';

const ORIGIN_ID = 's3-origin';

export class S3OriginDistribution extends Construct {
  public readonly distribution: CloudfrontDistribution;
  public readonly distributionId: string;
  public readonly arn: string;
  public readonly domainName: string;
  /** Route 53 zone id of CloudFront, for alias records elsewhere. */
  public readonly hostedZoneId: string;
  public readonly originAccessControl: CloudfrontOriginAccessControl;
  public readonly securityHeaders: SecurityHeadersPolicy;
  public readonly logBucket: SecureBucket;
  /** Set when the distribution issued its own certificate. */
  public readonly certificate?: DnsValidatedCertificate;
  /** Set when the distribution created its own web ACL. */
  public readonly webAcl?: WebAcl;
  public readonly webAclArn: string;
  /** A and AAAA alias records keyed by `<domain name>/<type>`. */
  public readonly aliasRecords: Record<string, Route53Record> = {};

  constructor(scope: Construct, id: string, props: S3OriginDistributionProps) {
    super(scope, id);
    const name = props.name ?? id;
    validateDistributionProps(this, props, name);
    // Account-unique names without a registry: the construct address differs per stack and path.
    const uniqueName = `${name}-${this.node.addr.slice(0, 8)}`;
    const domainNames = props.domainNames ?? [];

    this.originAccessControl = new CloudfrontOriginAccessControl(this, 'origin-access-control', {
      name: uniqueName,
      description: `CloudFront ${name} reads its S3 origin with SigV4`,
      originAccessControlOriginType: 's3',
      signingBehavior: 'always',
      signingProtocol: 'sigv4',
    });
    this.securityHeaders = new SecurityHeadersPolicy(this, 'security-headers', {
      name: `${uniqueName}-security-headers`,
      ...props.securityHeaders,
    });
    this.logBucket = props.logBucket ?? this.createLogBucket(props.logRetentionDays ?? 365);

    let certificateArn = props.certificateArn;
    if (certificateArn === undefined && props.hostedZoneId !== undefined && domainNames.length > 0) {
      this.certificate = new DnsValidatedCertificate(this, 'certificate', {
        domainName: domainNames[0],
        subjectAlternativeNames: domainNames.length > 1 ? domainNames.slice(1) : undefined,
        hostedZoneId: props.hostedZoneId,
        awaitValidation: props.awaitCertificateValidation,
        ...(props.usEast1Provider ? { provider: props.usEast1Provider } : { region: 'us-east-1' }),
      });
      certificateArn = this.certificate.arn;
    }
    if (props.webAclArn === undefined) {
      this.webAcl = new WebAcl(this, 'web-acl', {
        ...props.webAcl,
        scope: 'CLOUDFRONT',
        provider: props.usEast1Provider,
        name: uniqueName,
      });
    }
    this.webAclArn = props.webAclArn ?? this.webAcl!.arn;

    const viewerCertificate: CloudfrontDistributionViewerCertificate =
      certificateArn === undefined
        ? { cloudfrontDefaultCertificate: true }
        : {
            acmCertificateArn: certificateArn,
            sslSupportMethod: 'sni-only',
            minimumProtocolVersion: props.minimumProtocolVersion ?? 'TLSv1.2_2021',
          };
    this.distribution = new CloudfrontDistribution(this, 'distribution', {
      enabled: true,
      comment: `${name}: private S3 origin`,
      aliases: domainNames.length > 0 ? [...domainNames] : undefined,
      defaultRootObject: props.defaultRootObject ?? 'index.html',
      httpVersion: 'http2and3',
      isIpv6Enabled: true,
      priceClass: props.priceClass ?? 'PriceClass_100',
      webAclId: this.webAclArn,
      origin: [
        { originId: ORIGIN_ID, domainName: props.originBucket.regionalDomainName, originAccessControlId: this.originAccessControl.id },
      ],
      defaultCacheBehavior: {
        targetOriginId: ORIGIN_ID,
        viewerProtocolPolicy: 'redirect-to-https',
        allowedMethods: ['GET', 'HEAD', 'OPTIONS'],
        cachedMethods: ['GET', 'HEAD'],
        compress: true,
        cachePolicyId: props.cachePolicyId ?? CACHING_OPTIMIZED_POLICY_ID,
        responseHeadersPolicyId: this.securityHeaders.policyId,
      },
      viewerCertificate,
      loggingConfig: { bucket: this.logBucket.bucket.bucketDomainName, includeCookies: false, prefix: `cloudfront/${name}/` },
      restrictions: {
        geoRestriction: props.geoRestriction
          ? { restrictionType: props.geoRestriction.type, locations: [...props.geoRestriction.locations] }
          : { restrictionType: 'none', locations: [] },
      },
    });
    this.distributionId = this.distribution.id;
    this.arn = this.distribution.arn;
    this.domainName = this.distribution.domainName;
    this.hostedZoneId = this.distribution.hostedZoneId;

    props.originBucket.addToResourcePolicy({
      sid: 'AllowCloudFrontOriginAccessControl',
      principals: { Service: 'cloudfront.amazonaws.com' },
      actions: ['s3:GetObject'],
      resources: [`${props.originBucket.arn}/*`],
      // Only this distribution, not any CloudFront distribution of any account.
      conditions: { StringEquals: { 'AWS:SourceArn': this.distribution.arn } },
    });

    if (props.hostedZoneId !== undefined) this.createAliasRecords(props.hostedZoneId, domainNames);
    if (props.shieldAdvanced === true) {
      new ShieldProtection(this, 'shield', { name: uniqueName, resourceArn: this.distribution.arn });
    }
  }

  private createLogBucket(retentionDays: number): SecureBucket {
    return new SecureBucket(this, 'access-logs', {
      bucketPrefix: 'cloudfront-logs-',
      // CloudFront standard logging writes with an ACL grant to the awslogsdelivery account.
      objectOwnership: 'BucketOwnerPreferred',
      lifecycleRules: [{ id: 'expire-access-logs', expirationDays: retentionDays }],
    });
  }

  private createAliasRecords(zoneId: string, domainNames: readonly string[]): void {
    for (const domain of domainNames) {
      for (const type of ['A', 'AAAA'] as const) {
        this.aliasRecords[`${domain}/${type}`] = new Route53Record(this, `alias-${domain}-${type}`, {
          zoneId,
          name: domain,
          type,
          alias: { name: this.distribution.domainName, zoneId: this.distribution.hostedZoneId, evaluateTargetHealth: false },
        });
      }
    }
  }
}
