// Comment rendering benchmark: the sticky comment and the check run output of a 5,000-resource plan
// (and a small plan for scale), rendered N times in this process. Targets: ≤ 100 ms median, ≤ 65,536 characters.
import { renderCheckRunOutput, renderPlanComment } from '../controller/comment/render.js';
import { largeReport, smallReport } from '../test/fixtures/sample-reports.js';
import { median, percentile, printTable } from './measure.js';

export interface CommentRenderRow {
  case: string;
  runs: number;
  medianMs: number;
  p99Ms: number;
  /** UTF-16 length of the output (GitHub's limit: 65,536 for a comment, 65,535 per check run field). */
  chars: number;
  /** UTF-8 size of the output. */
  bytes: number;
}

const WARMUP = 5;

function time(label: string, runs: number, render: () => string): CommentRenderRow {
  let out = '';
  for (let i = 0; i < WARMUP; i++) out = render();
  const ms: number[] = [];
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    out = render();
    ms.push(performance.now() - started);
  }
  return { case: label, runs, medianMs: median(ms), p99Ms: percentile(ms, 99), chars: out.length, bytes: Buffer.byteLength(out, 'utf8') };
}

export function run(runs = Number(process.env.BENCH_COMMENT_RUNS ?? 100)): CommentRenderRow[] {
  const large = largeReport(5000);
  const small = smallReport();
  const rows = [
    time('comment, 5,000 resources in 10 stacks', runs, () => renderPlanComment(large)),
    time('check run text, 5,000 resources', runs, () => renderCheckRunOutput(large).text),
    time('comment, small plan (5 resources)', runs, () => renderPlanComment(small)),
  ];
  printTable(
    `Comment rendering: ${runs} runs each after ${WARMUP} warm-up runs (targets: median ≤ 100 ms, comment ≤ 65,536 chars)`,
    ['case', 'median (ms)', 'p99 (ms)', 'chars', 'bytes'],
    rows.map((r) => [r.case, r.medianMs.toFixed(1), r.p99Ms.toFixed(1), r.chars.toLocaleString('en-US'), r.bytes.toLocaleString('en-US')]),
  );
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) run();
