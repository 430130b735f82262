import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { formatProblem, parseEnvironmentFile } from '../../environments/config.js';
import { dnsName, dnsSettings, dnsZone, requireInsideZone, zoneNameOf, zoneValidates } from './dns-settings.js';

const shippedDev = readFileSync(new URL('../../environments/dev.yaml', import.meta.url), 'utf8');
/** dev.yaml with the agri system's `dns:` line replaced by `line` (a whole YAML line, indented 4). */
const devWithAgriDns = (line: string) =>
  parseEnvironmentFile({
    file: 'dev.yaml',
    text: shippedDev.replace(/^ {4}dns: \{ zone: \{ create: app\.dev\.unicorn\.example\.com \} \}$/m, line),
  });

describe('dnsSettings', () => {
  test('GIVEN no dns block WHEN parsed THEN the documented default zone is created, not delegated', () => {
    expect(dnsSettings({ create: 'app.example.com' }).parse(undefined)).toEqual({ zone: { create: 'app.example.com' } });
    expect(dnsSettings({ existing: 'example.com' }).parse(undefined)).toEqual({ zone: { existing: 'example.com' } });
  });

  test.each([
    [{ existing: 'example.com' }, 'example.com', true],
    [{ create: 'app.example.com' }, 'app.example.com', false],
    [{ create: 'app.example.com', delegated: false }, 'app.example.com', false],
    [{ create: 'app.example.com', delegated: true }, 'app.example.com', true],
  ])('GIVEN the zone %j WHEN parsed THEN its name is %s and certificates validate: %s', (zone, name, validates) => {
    const parsed = dnsZone.parse(zone);
    expect([zoneNameOf(parsed), zoneValidates(parsed)]).toEqual([name, validates]);
  });

  test.each([
    [{}, '', 'must name exactly one zone (allowed: existing: <a delegated zone to look up>, create: <a zone the stack creates>)'],
    [{ existing: 'a.example.com', create: 'b.example.com' }, '', 'must name exactly one zone'],
    [{ existing: 'example.com', delegated: true }, 'delegated', 'applies only with create (an existing zone is delegated already)'],
    [{ create: 'Example.COM' }, 'create', 'must be a DNS name such as example.com'],
    [{ create: 'example.com', delegated: 'yes' }, 'delegated', ''],
    [{ lookup: 'example.com' }, '', ''],
  ])('GIVEN the bad zone %j WHEN parsed THEN it is refused at "%s"', (zone, path, message) => {
    const issues = dnsZone.safeParse(zone).error?.issues ?? [];
    expect(issues.map((i) => i.path.join('.'))).toContain(path);
    expect(issues.find((i) => i.path.join('.') === path)!.message).toContain(message);
  });

  test.each([
    ['www.example.com', true],
    ['a-b.example.co', true],
    ['Example.com', false],
    ['-a.example.com', false],
    ['*.example.com', false],
    ['example.com.', false],
    ['localhost', false],
  ])('GIVEN the name %s WHEN parsed as a DNS name THEN accepted: %s', (name, ok) => {
    const result = dnsName('www.example.com').safeParse(name);
    expect(result.success).toBe(ok);
    if (!ok) expect(result.error!.issues[0]!.message).toBe('must be a DNS name such as www.example.com');
  });

  test('GIVEN names at, inside and outside the zone WHEN checked THEN only the outside one is refused, at its field', () => {
    const schema = z
      .object({ a: z.string(), b: z.string(), c: z.string() })
      .superRefine((s, ctx) => requireInsideZone(ctx, { existing: 'example.com' }, s));
    const issues = schema.safeParse({ a: 'example.com', b: 'www.example.com', c: 'www.badexample.com' }).error!.issues;
    expect(issues.map((i) => [i.path.join('.'), i.message])).toEqual([
      ['c', 'must be inside dns.zone (allowed: example.com or a name ending in .example.com)'],
    ]);
  });
});

describe('the dns block in an environment file', () => {
  test('GIVEN the shipped dev.yaml WHEN the agri line is found THEN the replacements below edit it (the fixture still matches)', () => {
    expect(devWithAgriDns('    dns: { zone: { create: app.dev.unicorn.example.com, delegated: true } }').problems).toEqual([]);
    expect(
      devWithAgriDns('    dns: { zone: { create: app.dev.unicorn.example.com, delegated: true } }').environment!.systems.agri!.dns,
    ).toEqual({
      zone: { create: 'app.dev.unicorn.example.com', delegated: true },
    });
  });

  test.each<[string, ...RegExp[]]>([
    [
      '    dns: { zone: {} }',
      /^dev\.yaml:\d+: systems\.agri\.dns\.zone: must name exactly one zone \(allowed: existing: .*, create: .*\) \(got \{\}\)$/,
    ],
    [
      '    dns: { zone: { existing: unicorn.example.com, delegated: true } }',
      /^dev\.yaml:\d+: systems\.agri\.dns\.zone\.delegated: applies only with create \(an existing zone is delegated already\) \(got true\)$/,
    ],
    [
      // A misspelt key is named, and so is the zone it leaves out.
      '    dns: { zone: { lookup: unicorn.example.com } }',
      /^dev\.yaml:\d+: systems\.agri\.dns\.zone: unknown key "lookup" \(allowed: existing, create, delegated\)$/,
      /^dev\.yaml:\d+: systems\.agri\.dns\.zone: must name exactly one zone /,
    ],
    [
      '    dns: { zone: { existing: other.example.com } }',
      /^dev\.yaml:\d+: systems\.agri\.domain: must be inside dns\.zone \(allowed: other\.example\.com or a name ending in \.other\.example\.com\) \(got "app\.dev\.unicorn\.example\.com"\)$/,
    ],
  ])('GIVEN the line %s WHEN parsed THEN one line per problem names the file, line, field and what is allowed', (line, ...expected) => {
    const { problems, environment } = devWithAgriDns(line);
    expect(environment).toBeUndefined();
    expect(problems.map(formatProblem)).toEqual(expected.map((e) => expect.stringMatching(e)));
  });
});
