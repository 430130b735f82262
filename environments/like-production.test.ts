import { readFileSync } from 'node:fs';
import { formatProblem, validateEnvironmentFiles } from './config.js';

const read = (name: string) => ({ file: name, text: readFileSync(new URL(`./${name}`, import.meta.url), 'utf8') });
/** The shipped files, with uat.yaml's text changed by `edit`. */
const problemsWithUat = (edit: (text: string) => string) =>
  validateEnvironmentFiles(
    ['dev.yaml', 'uat.yaml', 'prod.yaml'].map(read).map((f) => (f.file === 'uat.yaml' ? { ...f, text: edit(f.text) } : f)),
  ).problems.map(formatProblem);

describe('uat like to like with production', () => {
  test('GIVEN the shipped files WHEN validated THEN every way uat differs from prod in components is listed with its reason', () => {
    expect(problemsWithUat((t) => t)).toEqual([]);
  });

  test('GIVEN uat drops the ingest VPN silently WHEN validated THEN the knob, both values and the fix are named', () => {
    expect(problemsWithUat((t) => t.replace('hybrid: { mode: vpn, customerGatewayIp: 198.51.100.20 }', 'hybrid: { mode: https }'))).toEqual(
      [
        'uat.yaml: systems.ingest.hybrid.mode: is "https" where prod.yaml has "vpn": make it the same, or say why under differsFromProduction.ingest.hybrid.mode',
      ],
    );
  });

  test('GIVEN uat lists a difference that is not one WHEN validated THEN the stale entry is refused', () => {
    const text = (t: string) =>
      t.replace('differsFromProduction:\n', 'differsFromProduction:\n  ingest.authorizer: kept for an old reason\n');
    expect(problemsWithUat(text)).toEqual([
      'uat.yaml: differsFromProduction.ingest.authorizer: lists a difference there is none of (allowed: a component knob or system that differs from prod.yaml)',
    ]);
  });

  test('GIVEN uat leaves a whole system out without a reason WHEN validated THEN the system is named', () => {
    expect(problemsWithUat((t) => t.replace(/ {2}controller: one release controller.*\n/, ''))).toEqual([
      'uat.yaml: systems.controller: is missing, but prod.yaml runs it: add it, or say why under differsFromProduction.controller',
    ]);
  });

  test('GIVEN sizes that differ (tasks, instance classes, SKUs, retention) WHEN validated THEN they need no reason', () => {
    expect(
      problemsWithUat((t) =>
        t
          .replace('sqlSku: S1', 'sqlSku: S2')
          .replace('database: { instanceClass: db.t4g.medium }', 'database: { instanceClass: db.t4g.large }'),
      ),
    ).toEqual([]);
  });

  test('GIVEN a reason too short or a malformed key WHEN validated THEN the schema names the field', () => {
    const lines = problemsWithUat((t) =>
      t.replace('differsFromProduction:\n', 'differsFromProduction:\n  Imaging-DR: because\n  imaging.cdn: cost\n'),
    );
    expect(lines).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^uat\.yaml:\d+: differsFromProduction\.Imaging-DR: .*must be <system> or <system>\.<knob>, such as imaging\.dr/,
        ),
        expect.stringMatching(/^uat\.yaml:\d+: differsFromProduction\.imaging\.cdn: must say why, in at least 10 characters/),
      ]),
    );
  });

  test('GIVEN dev lists differences WHEN validated THEN the field is refused outside a staging environment', () => {
    const files = ['dev.yaml', 'uat.yaml', 'prod.yaml']
      .map(read)
      .map((f) =>
        f.file === 'dev.yaml' ? { ...f, text: `${f.text}differsFromProduction:\n  imaging.dr: dev runs one region only\n` } : f,
      );
    expect(validateEnvironmentFiles(files).problems.map(formatProblem)).toEqual([
      'dev.yaml: differsFromProduction: is only for a staging environment (tier is development)',
    ]);
  });
});
