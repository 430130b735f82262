import { readFileSync } from 'node:fs';
import { policyRules } from './rules/index.js';

describe('docs/policy-rules.md', () => {
  test('GIVEN the rule table in the docs WHEN compared with the rules THEN every rule is documented with its title', () => {
    const doc = readFileSync('docs/policy-rules.md', 'utf8');
    const missing = policyRules.filter((r) => !doc.includes(`| \`${r.id}\` | ${r.severity} | ${r.title} |`)).map((r) => r.id);
    // Regenerate with: npx tsx scripts/policy-rules-doc.ts > docs/policy-rules.md && npx prettier --write docs/policy-rules.md
    expect(missing).toEqual([]);
  });
});
