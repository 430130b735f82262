// Environment-file validation at its limits: CPU time to validate files just under every size limit,
// a billion-laughs alias bomb and 1,500 duplicate keys, against the shipped prod.yaml in the same run.
// CPU time, not wall time: a busy machine would otherwise be measured too.
import { billionLaughs } from '../test/billion-laughs.js';
import { shippedProd, yamlLimitShapes } from '../test/fixtures/yaml-limit-shapes.js';
import { validateEnvironmentFiles } from '../environments/config.js';
import { median, printTable } from './measure.js';

export interface YamlLimitsRow {
  case: string;
  bytes: number;
  problems: number;
  medianCpuMs: number;
}

function cpuOfValidation(label: string, text: string, runs: number): YamlLimitsRow {
  const ms: number[] = [];
  let problems = 0;
  for (let i = 0; i < runs + 1; i++) {
    const start = process.cpuUsage();
    problems = validateEnvironmentFiles([{ file: 'prod.yaml', text }]).problems.length;
    const { user, system } = process.cpuUsage(start);
    if (i > 0) ms.push((user + system) / 1000); // the first run warms the parser up
  }
  return { case: label, bytes: Buffer.byteLength(text), problems, medianCpuMs: median(ms) };
}

export function run(runs = Number(process.env.BENCH_YAML_RUNS ?? 5)): YamlLimitsRow[] {
  const baseline = cpuOfValidation('shipped prod.yaml (baseline)', shippedProd, runs);
  const rows = [
    baseline,
    ...Object.entries(yamlLimitShapes()).map(([shape, text]) => cpuOfValidation(`${shape}, just under the limits`, text, runs)),
    cpuOfValidation('billion-laughs alias bomb', billionLaughs(), runs),
    cpuOfValidation('1,500 duplicate keys', 'name: a\n'.repeat(1501), runs),
  ];
  printTable(
    `Environment-file validation: median CPU of ${runs} runs after one warm-up`,
    ['case', 'bytes', 'problems', 'CPU (ms)', '÷ baseline'],
    rows.map((r) => [
      r.case,
      r.bytes.toLocaleString('en-US'),
      r.problems,
      r.medianCpuMs.toFixed(1),
      `${(r.medianCpuMs / baseline.medianCpuMs).toFixed(2)}×`,
    ]),
  );
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) run();
