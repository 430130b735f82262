// Every problem with an S3OriginDistribution's props, reported together.
import { Token } from 'cdktf';
import type { Construct } from 'constructs';
import { PropProblems } from '../../core/validation.js';
import { DNS_NAME } from '../../core/dns-name.js';
import { checkUsEast1Provider } from './us-east-1.js';
import type { S3OriginDistributionProps } from './s3-origin-distribution-props.js';

const CERTIFICATE_ARN = /^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[A-Za-z0-9-]+$/;
const WEB_ACL_ARN = /^arn:aws[a-z-]*:wafv2:us-east-1:\d{12}:global\/webacl\/.+$/;

export function validateDistributionProps(construct: Construct, props: S3OriginDistributionProps, name: string): void {
  const p = new PropProblems(construct, 'S3OriginDistribution');
  const domains = props.domainNames ?? [];
  for (const domain of domains) p.matches('domainNames entry', domain, DNS_NAME, 'a DNS name like "www.example.com"');
  const duplicates = domains.filter((d, i) => domains.indexOf(d) !== i);
  p.check(duplicates.length === 0, `domainNames must be unique (got ${JSON.stringify(duplicates)} more than once)`);
  p.check(domains.length <= 100, `domainNames must list at most 100 names (got ${domains.length})`);

  const hasCertificate = props.certificateArn !== undefined || (props.hostedZoneId !== undefined && domains.length > 0);
  if (props.useDefaultCertificate === true) {
    p.check(
      props.certificateArn === undefined && domains.length === 0,
      `useDefaultCertificate cannot serve domainNames or use certificateArn (got domainNames ${JSON.stringify(domains)}, certificateArn ${JSON.stringify(props.certificateArn)})`,
    );
    p.check(
      props.minimumProtocolVersion === undefined,
      `minimumProtocolVersion needs a certificate; the default certificate ignores it (got ${JSON.stringify(props.minimumProtocolVersion)})`,
    );
  } else {
    p.check(
      hasCertificate,
      'a certificate is required: give certificateArn, or domainNames with hostedZoneId to issue one; or set useDefaultCertificate: true to accept the *.cloudfront.net certificate, which cannot enforce TLS 1.2 (CKV_AWS_174)',
    );
  }
  p.check(
    props.certificateArn === undefined || domains.length > 0,
    'certificateArn needs domainNames: CloudFront serves a custom certificate only for alternate domain names (got domainNames [])',
  );
  p.check(
    props.hostedZoneId === undefined || domains.length > 0,
    'hostedZoneId needs domainNames to issue a certificate and alias records for (got domainNames [])',
  );
  p.matches(
    'certificateArn',
    props.certificateArn,
    CERTIFICATE_ARN,
    'an ACM certificate ARN in us-east-1 (CloudFront uses no other region)',
  );
  p.matches(
    'webAclArn',
    props.webAclArn,
    WEB_ACL_ARN,
    'a CLOUDFRONT-scope WAFv2 web ACL ARN (arn:aws:wafv2:us-east-1:<account>:global/webacl/...)',
  );
  p.check(props.webAclArn === undefined || props.webAcl === undefined, 'give webAclArn or webAcl options, not both');
  p.oneOf('minimumProtocolVersion', props.minimumProtocolVersion, ['TLSv1.2_2021', 'TLSv1.2_2025', 'TLSv1.3_2025'] as const);
  p.oneOf('priceClass', props.priceClass, ['PriceClass_100', 'PriceClass_200', 'PriceClass_All'] as const);
  p.matches('defaultRootObject', props.defaultRootObject, /^[^/\s][^\s]{0,254}$/, 'an object key without a leading "/", like "index.html"');
  p.range('logRetentionDays', props.logRetentionDays, 1, 36500);
  p.check(
    props.logBucket === undefined || props.logRetentionDays === undefined,
    'logRetentionDays applies to the log bucket this construct creates; drop it or drop logBucket',
  );
  if (props.geoRestriction) {
    p.oneOf('geoRestriction.type', props.geoRestriction.type, ['whitelist', 'blacklist'] as const);
    p.check(props.geoRestriction.locations.length > 0, 'geoRestriction.locations must list at least one country code (got [])');
    for (const code of props.geoRestriction.locations)
      p.matches('geoRestriction.locations entry', code, /^[A-Z]{2}$/, 'an ISO 3166-1 alpha-2 country code like "DE"');
  }
  p.matches('name', name, /^[A-Za-z0-9_-]{1,48}$/, '1-48 letters, digits, "_" or "-"');
  checkUsEast1Provider(p, 'usEast1Provider', props.usEast1Provider);
  p.check(
    !Token.isUnresolved(domains) && domains.every((d) => !Token.isUnresolved(d)),
    'domainNames must be literal names (they key the certificate and alias records); got a token',
  );
  p.throwIfAny();
}
