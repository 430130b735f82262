// A REST API's regional custom domain: its own ACM certificate in the API's region (DNS-validated in the
// zone), the API Gateway domain name (TLS 1.2) and the base path mapping to the API's stage. The three
// resources are created directly in `scope` (ids `certificate`, `domain-name`, `base-path`), so a caller's
// Terraform addresses do not depend on this helper.
import type { Construct } from 'constructs';
import { ApiGatewayBasePathMapping } from '@cdktf/provider-aws/lib/api-gateway-base-path-mapping/index.js';
import { ApiGatewayDomainName } from '@cdktf/provider-aws/lib/api-gateway-domain-name/index.js';
import { DnsValidatedCertificate } from '../edge/certificate.js';

export interface RegionalApiDomainProps {
  /** The name the API answers on, e.g. `api.example.com`. */
  readonly domainName: string;
  /** The public zone holding the certificate's validation record. */
  readonly hostedZoneId: string;
  /** Wait for the certificate to be issued (false while the zone is not yet delegated). @default true */
  readonly awaitValidation?: boolean;
  /** The REST API and the stage the domain maps to; `RestApi` fits. */
  readonly api: { readonly id: string; readonly stageName: string };
}

export interface RegionalApiDomain {
  readonly certificate: DnsValidatedCertificate;
  readonly domainName: ApiGatewayDomainName;
}

export function regionalApiDomain(scope: Construct, props: RegionalApiDomainProps): RegionalApiDomain {
  const certificate = new DnsValidatedCertificate(scope, 'certificate', {
    domainName: props.domainName,
    hostedZoneId: props.hostedZoneId,
    awaitValidation: props.awaitValidation,
  });
  const domainName = new ApiGatewayDomainName(scope, 'domain-name', {
    domainName: props.domainName,
    regionalCertificateArn: certificate.arn,
    endpointConfiguration: { types: ['REGIONAL'] },
    securityPolicy: 'TLS_1_2',
  });
  new ApiGatewayBasePathMapping(scope, 'base-path', {
    apiId: props.api.id,
    stageName: props.api.stageName,
    domainName: domainName.domainName,
  });
  return { certificate, domainName };
}
