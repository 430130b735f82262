// The global web front (primary region only): a private S3 bucket served by CloudFront through
// origin access control, with a CLOUDFRONT-scope WAF, an ACM certificate in us-east-1, Route 53
// aliases at the zone apex and, when asked, Shield Advanced on the distribution and the zone.
import type { TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { ShieldProtection } from '@cdktf/provider-aws/lib/shield-protection/index.js';
import { SecureBucket } from '../../aws/data/s3-bucket.js';
import { S3OriginDistribution } from '../../aws/edge/s3-origin-distribution.js';

export interface PaymentsWebFrontProps {
  readonly prefix: string;
  readonly domain: string;
  readonly hostedZoneId: string;
  readonly hostedZoneArn: string;
  /** Wait for the distribution's certificate to be issued (false while the zone is not yet delegated). @default true */
  readonly awaitCertificateValidation?: boolean;
  readonly usEast1Provider: TerraformProvider;
  readonly logRetentionDays: number;
  readonly shieldAdvanced: boolean;
  readonly deletionProtection: boolean;
}

export class PaymentsWebFront extends Construct {
  public readonly bucket: SecureBucket;
  public readonly distribution: S3OriginDistribution;

  constructor(scope: Construct, id: string, props: PaymentsWebFrontProps) {
    super(scope, id);
    this.bucket = new SecureBucket(this, 'site', {
      bucketPrefix: `${props.prefix}-web-`,
      forceDestroy: !props.deletionProtection,
    });
    this.distribution = new S3OriginDistribution(this, 'cdn', {
      name: `${props.prefix}-web`,
      originBucket: this.bucket,
      domainNames: [props.domain],
      hostedZoneId: props.hostedZoneId,
      awaitCertificateValidation: props.awaitCertificateValidation,
      usEast1Provider: props.usEast1Provider,
      logRetentionDays: props.logRetentionDays,
      webAcl: { sqlInjectionRules: true, logging: { retentionInDays: props.logRetentionDays } },
      shieldAdvanced: props.shieldAdvanced,
    });
    if (props.shieldAdvanced) {
      new ShieldProtection(this, 'zone-shield', { name: `${props.prefix}-zone`, resourceArn: props.hostedZoneArn });
    }
  }
}
