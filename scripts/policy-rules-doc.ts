// Regenerates docs/policy-rules.md from the rules: npx tsx scripts/policy-rules-doc.ts > docs/policy-rules.md
import { policyRules } from '../modules/policy/rules/index.js';
const lines = [
  '# Policy rules',
  '',
  'Checked by `gitops policy` and by `npm run synth` on the synthesized Terraform JSON of every stack (so raw',
  'overrides are checked too). Ids follow checkov where a checkov check exists; `GITOPS_*` rules are our own.',
  'List them with `npx gitops policy --rules`.',
  '',
  '| rule | severity | what it checks | resource types | remediation |',
  '|---|---|---|---|---|',
];
for (const r of policyRules)
  lines.push(
    `| \`${r.id}\` | ${r.severity} | ${r.title} | ${r.resourceTypes.map((t) => `\`${t}\``).join(', ')} | ${r.remediation.replace(/\|/g, '\\|')} |`,
  );
lines.push(
  '',
  '## Enforcement and waivers',
  '',
  'Each environment file sets `policy.level`: `error` fails `npm run synth`, `gitops policy` and the',
  '`gitops/policy/<env>` check; `warning` reports only. A waiver exempts one rule on one resource address',
  '(`<stack>.<type>.<name>`) and needs a written reason; waivers are listed in every report, and a waiver',
  'that matches nothing is reported as stale.',
  '',
  'On a pull request the controller runs the same rules as the check `gitops/policy/<env>` on the affected',
  'stacks of the target environment and lists the violations that do not fail at the base first, as new.',
  'The level and the waivers are read from the environment file at the **base** branch, so a pull request',
  'cannot waive its own findings.',
  '',
  '```yaml',
  'policy:',
  '  level: error',
  '  waivers:',
  '    - rule: CKV_AWS_21',
  '      resource: imaging-prod.aws_s3_bucket.logs_bucket_1A2B3C4D',
  '      reason: access-log bucket; versions would only double the storage of immutable logs',
  '```',
  '',
);
console.log(lines.join('\n'));
