// The plan summary a plan-apply.yml run leaves in its artifact (`gitops plan --summary-json`), read
// back as a PlanSummary. A plan run runs pull request code, so the file is untrusted: it must be
// JSON of at most MAX_SUMMARY_BYTES, of exactly this shape, for the stack that was asked for.
import { z } from 'zod';
import type { PlanSummary } from '../core/ports/plan-report.js';

/** The largest summary file read from an artifact. */
export const MAX_SUMMARY_BYTES = 8 * 1024 * 1024;

/** The file `gitops plan --summary-json` writes and plan-apply.yml uploads with the plan. */
export const SUMMARY_FILE = 'plan.json';

const action = z.enum(['create', 'update', 'replace', 'delete', 'no-op', 'read']);
const count = z.number().int().min(0);
const text = z.string().max(4096);

const attribute = z.strictObject({
  path: text,
  before: z.unknown().optional(),
  after: z.unknown().optional(),
  sensitive: z.boolean(),
  unknownAfter: z.boolean(),
});

const summarySchema = z.strictObject({
  stack: text,
  counts: z.strictObject({ add: count, change: count, replace: count, destroy: count, noop: count, read: count }),
  hasChanges: z.boolean(),
  resources: z.array(z.strictObject({ address: text, type: text, name: text, action, attributes: z.array(attribute) })),
  outputs: z.array(z.strictObject({ name: text, action })),
});

/** The summary of `stack` in `bytes`, or a one-line problem (never quoting the file). */
export function parsePlanSummary(bytes: Buffer, stack: string): PlanSummary | { readonly problem: string } {
  if (bytes.length > MAX_SUMMARY_BYTES)
    return { problem: `${SUMMARY_FILE} is ${bytes.length} bytes (allowed: at most ${MAX_SUMMARY_BYTES})` };
  let json: unknown;
  try {
    json = JSON.parse(bytes.toString('utf8'));
  } catch {
    return { problem: `${SUMMARY_FILE} is not JSON` };
  }
  const parsed = summarySchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    return { problem: `${SUMMARY_FILE}: ${issue.path.map(String).join('.') || '(top)'} ${issue.message.replace(/^Invalid input: /, '')}` };
  }
  if (parsed.data.stack !== stack) return { problem: `${SUMMARY_FILE} is the plan of another stack (asked for ${stack})` };
  return parsed.data as PlanSummary;
}
