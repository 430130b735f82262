// ESLint flat config: typescript-eslint's recommended rules, plus the import boundaries this
// repository lives by:
// - no provider barrel imports (they cost seconds and hundreds of MB per synth);
// - the controller's core (controller/core/) and its pure rules (controller/rules/) import no adapter:
//   they reach GitHub, the store, git, terraform and processes only through the ports in core/ports/;
// - product code imports no test double or fixture (those live under test/).
// Each group repeats the barrel rule because a later config object replaces a rule's options.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const barrelMessage =
  'Import provider resources deeply (e.g. @cdktf/provider-aws/lib/s3-bucket/index.js): the barrel import costs ~3 s and ~580 MB per synth.';
const barrel = {
  paths: [
    { name: '@cdktf/provider-aws', message: barrelMessage },
    { name: '@cdktf/provider-azurerm', message: barrelMessage },
  ],
  patterns: [{ regex: '^@cdktf/provider-(aws|azurerm)(/lib)?/?$', message: barrelMessage }],
};
const testDoubles = {
  regex: '^(\\.\\./)+test/',
  message: 'Product code must not import test doubles or fixtures (test/): they are for tests only.',
};
const adapters = [
  {
    regex: '^(\\.\\./)+(github|store|plan|runner|webhooks|cli|process|release|git)/|^(\\.\\./)+compose\\.js$',
    message: 'The core depends on its ports (controller/core/ports/), never on an adapter: declare what you need in a port.',
  },
  {
    regex: '^(probot|@octokit/.*|better-sqlite3|simple-git|node:child_process)$',
    message: 'The core does no I/O of its own: reach GitHub, the store, git and processes through controller/core/ports/.',
  },
];
const TESTS = ['**/*.test.ts'];

export default tseslint.config(
  { ignores: ['node_modules/**', 'cdktf.out/**', 'coverage/**', '.gitops/**', 'dist/**', '**/fixtures/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: {
        process: 'readonly',
        console: 'readonly',
        URL: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        Buffer: 'readonly',
        performance: 'readonly',
      },
    },
    rules: {
      'no-restricted-imports': ['error', barrel],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-new': 'off',
    },
  },
  {
    files: ['controller/**/*.ts', 'modules/**/*.ts', 'environments/**/*.ts', 'scripts/**/*.ts', 'bin/**/*.mjs'],
    ignores: TESTS,
    rules: { 'no-restricted-imports': ['error', { ...barrel, patterns: [...barrel.patterns, testDoubles] }] },
  },
  {
    files: ['controller/core/**/*.ts', 'controller/rules/**/*.ts'],
    ignores: TESTS,
    rules: { 'no-restricted-imports': ['error', { ...barrel, patterns: [...barrel.patterns, testDoubles, ...adapters] }] },
  },
);
