// Jest runs the TypeScript sources as ESM (probot 14 is ESM-only). ts-jest only transpiles
// (isolatedModules): type checking is `tsc --noEmit`, which `npm test` runs first.
/** @type {import('jest').Config} */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, diagnostics: false }],
  },
  testMatch: ['<rootDir>/{modules,environments,controller,test}/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/cdktf.out/'],
  setupFilesAfterEnv: ['<rootDir>/test/setup-jest.ts'],
  testTimeout: 60000,
};
