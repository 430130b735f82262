// The policy gate of `gitops synth` reads the JSON synth kept in memory; `gitops policy` on files written
// earlier reads them back. Both must see the same stacks and report the same findings, in the same order.
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadApp } from './app-loader.js';
import { policyReportFor } from './policy.js';
import { loadEnvironments } from '../../environments/load.js';

describe('policyReportFor', () => {
  const outdir = mkdtempSync(join(tmpdir(), 'gitops-policy-report-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  test('GIVEN dev synthesized in-process WHEN reported from memory and from the written files THEN the JSON and the reports are equal', async () => {
    const environments = loadEnvironments();
    const { newApp, synthesize } = await loadApp();
    const stacks = synthesize(newApp(outdir), { environments, only: ['dev'] });
    expect(stacks.length).toBeGreaterThan(3);
    for (const s of stacks) {
      const written = JSON.parse(readFileSync(join(outdir, 'stacks', s.name, 'cdk.tf.json'), 'utf8')) as unknown;
      expect({ stack: s.name, json: s.json }).toEqual({ stack: s.name, json: written });
    }
    const fromMemory = policyReportFor(outdir, stacks, environments);
    const fromFiles = policyReportFor(
      outdir,
      stacks.map((s) => ({ name: s.name, environment: s.environment, json: undefined })),
      environments,
    );
    expect(fromMemory.summary.checks).toBeGreaterThan(100);
    expect(fromMemory).toEqual(fromFiles);
  }, 120_000);
});
