// A public ACM certificate validated through DNS records in a Route 53 zone. Consumers should use
// `arn` (from the validation resource, when there is one), so nothing attaches the certificate before
// it is issued. In a zone the parent domain does not delegate to yet, the validation would wait until
// it times out: `awaitValidation: false` writes the records but leaves the wait out.
import { TerraformIterator, Token, type TerraformProvider } from 'cdktf';
import { Construct } from 'constructs';
import { AcmCertificate } from '@cdktf/provider-aws/lib/acm-certificate/index.js';
import { AcmCertificateValidation } from '@cdktf/provider-aws/lib/acm-certificate-validation/index.js';
import { Route53Record } from '@cdktf/provider-aws/lib/route53-record/index.js';
import { PropProblems } from '../../core/validation.js';
import { DNS_NAME } from '../../core/dns-name.js';

export interface DnsValidatedCertificateProps {
  /** e.g. `www.example.com` or `*.example.com`. */
  readonly domainName: string;
  /** @default none */
  readonly subjectAlternativeNames?: readonly string[];
  /** Route 53 hosted zone that holds the validation records (it must serve every name). */
  readonly hostedZoneId: string;
  /**
   * Provider for the certificate. CloudFront needs certificates in us-east-1: pass the us-east-1
   * aliased AwsProvider, or set `region`. @default the scope's default provider
   */
  readonly provider?: TerraformProvider;
  /** Region of the certificate (AWS provider ≥ 6 resource-level region), e.g. `us-east-1`. @default the provider's region */
  readonly region?: string;
  /** @default 'EC_prime256v1' (smaller, faster handshakes; supported by CloudFront and ALB) */
  readonly keyAlgorithm?: 'RSA_2048' | 'EC_prime256v1' | 'EC_secp384r1';
  /**
   * Wait for ACM to issue the certificate (`aws_acm_certificate_validation`). Turn off only while the zone
   * is not yet delegated: the records are still written, and ACM issues the certificate once the parent
   * domain delegates to the zone; a later apply with this on then completes at once.
   * @default true
   */
  readonly awaitValidation?: boolean;
}

export class DnsValidatedCertificate extends Construct {
  public readonly certificate: AcmCertificate;
  /** The wait for issuance; absent with `awaitValidation: false`. */
  public readonly validation?: AcmCertificateValidation;
  /** The validation records, one per distinct name (`example.com` and `*.example.com` share one). */
  public readonly validationRecords: Route53Record;
  /** The certificate ARN: once issued, or at once (still pending) with `awaitValidation: false`. */
  public readonly arn: string;

  constructor(scope: Construct, id: string, props: DnsValidatedCertificateProps) {
    super(scope, id);
    const names = [props.domainName, ...(props.subjectAlternativeNames ?? [])];
    const p = new PropProblems(this, 'DnsValidatedCertificate');
    for (const name of names)
      p.matches('domainName / subjectAlternativeNames entry', name, DNS_NAME, 'a DNS name like "www.example.com" or "*.example.com"');
    const duplicates = names.filter((n, i) => names.indexOf(n) !== i);
    p.check(
      duplicates.length === 0,
      `domainName and subjectAlternativeNames must not repeat a name (got ${JSON.stringify(duplicates)} more than once)`,
    );
    p.oneOf('keyAlgorithm', props.keyAlgorithm, ['RSA_2048', 'EC_prime256v1', 'EC_secp384r1'] as const);
    p.matches('region', props.region, /^[a-z]{2}(-[a-z]+)+-\d+$/, 'a region name like "us-east-1"');
    p.throwIfAny();

    this.certificate = new AcmCertificate(this, 'certificate', {
      provider: props.provider,
      region: props.region,
      domainName: props.domainName,
      subjectAlternativeNames: props.subjectAlternativeNames && [...props.subjectAlternativeNames],
      validationMethod: 'DNS',
      keyAlgorithm: props.keyAlgorithm ?? 'EC_prime256v1',
      lifecycle: { createBeforeDestroy: true },
    });
    const validationOptions = TerraformIterator.fromComplexList(this.certificate.domainValidationOptions, 'domain_name');
    this.validationRecords = new Route53Record(this, 'validation-record', {
      forEach: validationOptions,
      zoneId: props.hostedZoneId,
      name: validationOptions.getString('resource_record_name'),
      type: validationOptions.getString('resource_record_type'),
      records: [validationOptions.getString('resource_record_value')],
      ttl: 60,
      // `example.com` and `*.example.com` share one validation record.
      allowOverwrite: true,
    });
    if (props.awaitValidation === false) {
      this.arn = this.certificate.arn;
      return;
    }
    this.validation = new AcmCertificateValidation(this, 'validation', {
      provider: props.provider,
      region: props.region,
      certificateArn: this.certificate.arn,
      validationRecordFqdns: Token.asList(TerraformIterator.fromResources(this.validationRecords).pluckProperty('fqdn')),
    });
    this.arn = this.validation.certificateArn;
  }
}
