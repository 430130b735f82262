import { Testing, TerraformOutput, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { DnsValidatedCertificate, type DnsValidatedCertificateProps } from './certificate.js';

type Resource = Record<string, unknown>;
interface Synth {
  resource: Record<string, Record<string, Resource>>;
}
const only = (synth: Synth, type: string): Resource => {
  const all = Object.values(synth.resource[type] ?? {});
  if (all.length !== 1) throw new Error(`expected one ${type}, got ${all.length}`);
  return all[0];
};
const synthCertificate = (props: Partial<DnsValidatedCertificateProps> = {}): Synth =>
  JSON.parse(
    Testing.synthScope((scope) => new DnsValidatedCertificate(scope, 'cert', { domainName: 'example.com', hostedZoneId: 'Z1', ...props })),
  ) as Synth;

describe('DnsValidatedCertificate', () => {
  test('GIVEN a domain and a zone WHEN synthesized THEN an EC certificate is requested with DNS validation and replaced before destroy', () => {
    expect(only(synthCertificate(), 'aws_acm_certificate')).toEqual({
      domain_name: 'example.com',
      validation_method: 'DNS',
      key_algorithm: 'EC_prime256v1',
      lifecycle: { create_before_destroy: true },
    });
  });

  test('GIVEN a domain and a zone WHEN synthesized THEN one validation record per name is written in the zone and the validation waits for all of them', () => {
    const synth = synthCertificate();
    const record = only(synth, 'aws_route53_record');
    expect(record).toMatchObject({
      zone_id: 'Z1',
      allow_overwrite: true,
      ttl: 60,
      for_each: expect.stringContaining('aws_acm_certificate.cert_certificate_EC6438D5.domain_validation_options'),
      name: '${each.value.resource_record_name}',
      type: '${each.value.resource_record_type}',
      records: ['${each.value.resource_record_value}'],
    });
    expect(only(synth, 'aws_acm_certificate_validation')).toEqual({
      certificate_arn: '${aws_acm_certificate.cert_certificate_EC6438D5.arn}',
      validation_record_fqdns: expect.stringMatching(
        /^\$\{\[ for key, val in aws_route53_record\.cert_validation-record_[0-9A-F]{8}: val\.fqdn\]\}$/,
      ),
    });
  });

  test('GIVEN SANs, a key algorithm and region us-east-1 WHEN synthesized THEN the certificate and its validation use them', () => {
    const synth = synthCertificate({ subjectAlternativeNames: ['*.example.com'], keyAlgorithm: 'RSA_2048', region: 'us-east-1' });
    expect(only(synth, 'aws_acm_certificate')).toMatchObject({
      subject_alternative_names: ['*.example.com'],
      key_algorithm: 'RSA_2048',
      region: 'us-east-1',
    });
    expect(only(synth, 'aws_acm_certificate_validation').region).toBe('us-east-1');
  });

  test('GIVEN a us-east-1 aliased provider WHEN synthesized THEN the certificate and validation use it and the DNS records use the default provider', () => {
    const stack = new TerraformStack(Testing.app(), 'edge');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    const usEast1 = new AwsProvider(stack, 'us-east-1', { region: 'us-east-1', alias: 'us_east_1' });
    new DnsValidatedCertificate(stack, 'cert', { domainName: 'example.com', hostedZoneId: 'Z1', provider: usEast1 });
    const synth = JSON.parse(Testing.synth(stack)) as Synth;
    expect(only(synth, 'aws_acm_certificate').provider).toBe('aws.us_east_1');
    expect(only(synth, 'aws_acm_certificate_validation').provider).toBe('aws.us_east_1');
    expect(only(synth, 'aws_route53_record')).not.toHaveProperty('provider');
  });

  test('GIVEN awaitValidation false (a zone not yet delegated) WHEN synthesized THEN the records are written, nothing waits, and arn is the pending certificate', () => {
    const synth = synthCertificate({ awaitValidation: false });
    expect(only(synth, 'aws_route53_record')).toMatchObject({ zone_id: 'Z1' });
    expect(synth.resource.aws_acm_certificate_validation).toBeUndefined();
  });

  test('GIVEN awaitValidation false WHEN constructed THEN arn is the certificate arn, and by default the validation resource arn', () => {
    const stack = new TerraformStack(Testing.app(), 'edge');
    new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
    const pending = new DnsValidatedCertificate(stack, 'pending', {
      domainName: 'example.com',
      hostedZoneId: 'Z1',
      awaitValidation: false,
    });
    const issued = new DnsValidatedCertificate(stack, 'issued', { domainName: 'example.com', hostedZoneId: 'Z1' });
    new TerraformOutput(stack, 'pending_arn', { value: pending.arn });
    new TerraformOutput(stack, 'issued_arn', { value: issued.arn });
    const outputs = (JSON.parse(Testing.synth(stack)) as { output: Record<string, { value: string }> }).output;
    expect(pending.validation).toBeUndefined();
    expect(outputs.pending_arn.value).toMatch(/^\$\{aws_acm_certificate\.pending_certificate_[0-9A-F]{8}\.arn\}$/);
    expect(outputs.issued_arn.value).toMatch(/^\$\{aws_acm_certificate_validation\.issued_validation_[0-9A-F]{8}\.certificate_arn\}$/);
  });

  test('GIVEN bad names, a repeated name, a bad algorithm and region WHEN constructed THEN one error lists them all', () => {
    expect(() =>
      synthCertificate({
        domainName: 'exa mple.com',
        subjectAlternativeNames: ['a.example.com', 'a.example.com'],
        keyAlgorithm: 'DSA' as never,
        region: 'USEAST1',
      }),
    ).toThrow(
      'DnsValidatedCertificate stack/cert: domainName / subjectAlternativeNames entry must be a DNS name like "www.example.com" or "*.example.com" (got "exa mple.com"); domainName and subjectAlternativeNames must not repeat a name (got ["a.example.com"] more than once); keyAlgorithm must be one of "RSA_2048", "EC_prime256v1", "EC_secp384r1" (got "DSA"); region must be a region name like "us-east-1" (got "USEAST1")',
    );
  });
});
