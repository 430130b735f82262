import { Testing, TerraformOutput, TerraformStack } from 'cdktf';
import { AwsProvider } from '@cdktf/provider-aws/lib/provider/index.js';
import { publicHostedZone, type PublicHostedZone, type PublicHostedZoneProps } from './hosted-zone.js';

interface Synth {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, { value: unknown; description?: string }>;
}

// The zone id is output as `zone_id` so its reference can be read from the synthesized JSON.
const build = (props: PublicHostedZoneProps): { zone: PublicHostedZone; synth: Synth; zoneIdRef: unknown } => {
  const stack = new TerraformStack(Testing.app(), 'dns');
  new AwsProvider(stack, 'aws', { region: 'eu-west-1' });
  const zone = publicHostedZone(stack, 'zone', props);
  new TerraformOutput(stack, 'zone_id', { value: zone.zoneId });
  const synth = JSON.parse(Testing.synth(stack)) as Synth;
  const zoneIdRef = synth.output!.zone_id.value;
  delete synth.output!.zone_id;
  return { zone, synth, zoneIdRef };
};

describe('publicHostedZone', () => {
  test('GIVEN existing WHEN synthesized THEN the public zone is looked up at data.aws_route53_zone.zone, nothing is created or output, and validation can complete', () => {
    const { zone, synth, zoneIdRef } = build({ existing: 'example.com' });
    expect(synth.data?.aws_route53_zone).toEqual({ zone: { name: 'example.com', private_zone: false } });
    expect(synth.resource?.aws_route53_zone).toBeUndefined();
    expect(synth.output).toEqual({});
    expect(zone).toMatchObject({ name: 'example.com', validates: true });
    expect(zone.nameServers).toBeUndefined();
    expect(zoneIdRef).toBe('${data.aws_route53_zone.zone.zone_id}');
  });

  test('GIVEN create without delegated WHEN synthesized THEN the zone is created at aws_route53_zone.zone, its name servers are output with what to do, and validation cannot complete yet', () => {
    const { zone, synth, zoneIdRef } = build({ create: 'app.example.com', comment: 'the app' });
    expect(synth.resource?.aws_route53_zone).toEqual({ zone: { name: 'app.example.com', comment: 'the app' } });
    expect(synth.data).toBeUndefined();
    expect(synth.output?.name_servers).toEqual({
      value: '${aws_route53_zone.zone.name_servers}',
      description: expect.stringMatching(/^Delegate app\.example\.com to these name servers .*mark the zone delegated and apply again/),
    });
    expect(zone.validates).toBe(false);
    expect(zoneIdRef).toBe('${aws_route53_zone.zone.zone_id}');
  });

  test('GIVEN create with delegated true WHEN synthesized THEN the zone is created, its name servers still output, and validation can complete', () => {
    const { zone, synth } = build({ create: 'app.example.com', delegated: true });
    expect(Object.keys(synth.resource?.aws_route53_zone ?? {})).toEqual(['zone']);
    expect(synth.output?.name_servers.description).toBe('Name servers of app.example.com; the parent domain delegates to them');
    expect(zone.validates).toBe(true);
  });

  test.each<[PublicHostedZoneProps, string]>([
    [{}, 'give exactly one of existing, create (got existing undefined, create undefined)'],
    [
      { existing: 'a.example.com', create: 'b.example.com' },
      'give exactly one of existing, create (got existing "a.example.com", create "b.example.com")',
    ],
    [{ existing: 'not a name' }, 'existing must be a zone name like "example.com" (got "not a name")'],
    [{ create: 'example' }, 'create must be a zone name like "example.com" (got "example")'],
    [{ existing: 'example.com', delegated: true }, 'delegated applies to a created zone only (an existing zone is taken as delegated)'],
  ])('GIVEN %j WHEN built THEN it fails with one line naming the prop', (props, message) => {
    expect(() => build(props)).toThrow(`publicHostedZone dns: ${message}`);
  });

  test('GIVEN two problems WHEN built THEN one error lists both', () => {
    expect(() => build({ create: 'bad name', delegated: 'yes' as never, existing: 'x.example.com' })).toThrow(
      'publicHostedZone dns: give exactly one of existing, create (got existing "x.example.com", create "bad name"); create must be a zone name like "example.com" (got "bad name")',
    );
  });
});
