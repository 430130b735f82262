// CloudFront in front of the commerce buckets (seed 004: "CloudFront + Azure CDN for global content
// delivery"), primary site only: the shop's front end (static-assets) at `webDomain`, product photos
// (product-images) at `images.<webDomain>`. Both buckets stay private and are read through origin
// access control; both distributions share one CLOUDFRONT-scope WAF web ACL and one access-log bucket.
// The certificates and the web ACL live in us-east-1 (resource-level `region`, no extra provider).
import { TerraformOutput, TerraformStack } from 'cdktf';
import { Construct } from 'constructs';
import type { SecureBucket } from '../../aws/data/s3-bucket.js';
import type { PublicHostedZone } from '../../aws/edge/hosted-zone.js';
import { S3OriginDistribution } from '../../aws/edge/s3-origin-distribution.js';
import type { CommerceBucket } from './aws-data.js';

export interface CommerceEdgeProps {
  /** `commerce-<env>`. */
  readonly prefix: string;
  readonly buckets: Readonly<Record<CommerceBucket, SecureBucket>>;
  /** The shop's origin: the front end is served there, product images at `images.<webDomain>`. */
  readonly webDomain: string;
  /** The public zone holding both names and their certificates' validation records (the stack's one zone). */
  readonly zone: PublicHostedZone;
  /** Days the CloudFront access logs and WAF logs are kept. */
  readonly logRetentionDays: number;
}

/** Where each bucket is served, below the shop's origin. */
export const CDN_HOSTS: Readonly<Record<CommerceBucket, (webDomain: string) => string>> = {
  'static-assets': (webDomain) => webDomain,
  'product-images': (webDomain) => `images.${webDomain}`,
};

export class CommerceEdge extends Construct {
  /** One distribution per bucket, keyed like the buckets. */
  public readonly distributions: Readonly<Record<CommerceBucket, S3OriginDistribution>>;

  constructor(scope: Construct, id: string, props: CommerceEdgeProps) {
    super(scope, id);
    const zone = props.zone;
    const serve = (bucket: CommerceBucket, shared?: S3OriginDistribution) =>
      new S3OriginDistribution(this, bucket, {
        name: `${props.prefix}-${bucket}`,
        originBucket: props.buckets[bucket],
        domainNames: [CDN_HOSTS[bucket](props.webDomain)],
        hostedZoneId: zone.zoneId,
        awaitCertificateValidation: zone.validates,
        ...(shared === undefined
          ? {
              // WebAcl's default per-IP limit: a page of the shop pulls many images, unlike an API call.
              webAcl: { logging: { retentionInDays: props.logRetentionDays } },
              logRetentionDays: props.logRetentionDays,
            }
          : { webAclArn: shared.webAclArn, logBucket: shared.logBucket }),
      });
    const assets = serve('static-assets');
    const images = serve('product-images', assets);
    this.distributions = { 'static-assets': assets, 'product-images': images };

    const stack = TerraformStack.of(this);
    for (const [bucket, distribution] of Object.entries(this.distributions)) {
      new TerraformOutput(stack, `${bucket.replace(/-/g, '_')}_cdn_domain`, {
        value: distribution.domainName,
        description: `CloudFront domain serving ${bucket} as https://${CDN_HOSTS[bucket as CommerceBucket](props.webDomain)}/`,
      });
    }
  }
}
