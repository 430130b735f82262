// ESLint flat config: typescript-eslint's recommended rules, plus the one rule this repository
// cannot live without: no provider barrel imports (they cost seconds and hundreds of MB per synth).
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const barrelMessage =
  'Import provider resources deeply (e.g. @cdktf/provider-aws/lib/s3-bucket/index.js): the barrel import costs ~3 s and ~580 MB per synth.';

export default tseslint.config(
  { ignores: ['node_modules/**', 'cdktf.out/**', 'coverage/**', '.gitops/**', '**/fixtures/**', '**/*.d.ts'] },
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
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: '@cdktf/provider-aws', message: barrelMessage },
            { name: '@cdktf/provider-azurerm', message: barrelMessage },
          ],
          patterns: [{ regex: '^@cdktf/provider-(aws|azurerm)(/lib)?/?$', message: barrelMessage }],
        },
      ],
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-new': 'off',
    },
  },
);
