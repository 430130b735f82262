export * from './types.js';
export * from './engine.js';
export * from './report.js';
export { DefaultTags } from './tags.js';
export { policyRules, policyRuleIds } from './rules/index.js';
export { stackView, refersTo } from './stack-view.js';
