// The regional custom domain of a REST API: certificate, domain name and stage mapping, at the caller's addresses.
import { Testing } from 'cdktf';
import { regionalApiDomain } from './regional-domain.js';

type Resource = Record<string, unknown>;
interface Synth {
  resource: Record<string, Record<string, Resource>>;
}

const synth = (awaitValidation?: boolean): Synth =>
  JSON.parse(
    Testing.synthScope((scope) =>
      regionalApiDomain(scope, {
        domainName: 'api.example.com',
        hostedZoneId: 'Z123',
        awaitValidation,
        api: { id: 'abc123', stageName: 'v1' },
      }),
    ),
  ) as Synth;
const only = (s: Synth, type: string): [string, Resource] => {
  const entries = Object.entries(s.resource[type] ?? {});
  if (entries.length !== 1) throw new Error(`expected one ${type}, found ${entries.length}`);
  return entries[0]!;
};

describe('regionalApiDomain', () => {
  test('GIVEN a delegated zone WHEN synthesized THEN the domain is REGIONAL, TLS 1.2, on the validated certificate, mapped to the stage', () => {
    const s = synth();
    const [, domain] = only(s, 'aws_api_gateway_domain_name');
    const [validationId] = only(s, 'aws_acm_certificate_validation');
    expect(domain).toEqual({
      domain_name: 'api.example.com',
      regional_certificate_arn: `\${aws_acm_certificate_validation.${validationId}.certificate_arn}`,
      endpoint_configuration: { types: ['REGIONAL'] },
      security_policy: 'TLS_1_2',
    });
    const [domainId] = only(s, 'aws_api_gateway_domain_name');
    expect(only(s, 'aws_api_gateway_base_path_mapping')[1]).toEqual({
      api_id: 'abc123',
      stage_name: 'v1',
      domain_name: `\${aws_api_gateway_domain_name.${domainId}.domain_name}`,
    });
    expect(domainId).toMatch(/^domain-name/);
  });

  test('GIVEN a zone not yet delegated WHEN synthesized THEN nothing waits for the certificate', () => {
    const s = synth(false);
    expect(s.resource.aws_acm_certificate_validation).toBeUndefined();
    expect(only(s, 'aws_api_gateway_domain_name')[1].regional_certificate_arn).toMatch(/^\$\{aws_acm_certificate\./);
  });
});
