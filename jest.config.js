/**
 * One jest run for the whole repository: unit tests beside the code, integration and
 * end-to-end tests under test/. TypeScript is transpiled only; `npm run typecheck` checks types.
 */
export default {
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: { '^(\\.{1,2}/.*)\\.js$': '$1' },
  transform: {
    '^.+\\.ts$': ['ts-jest', { useESM: true, tsconfig: 'test/tsconfig.json' }],
  },
  testMatch: [
    '<rootDir>/server/src/**/*.test.ts',
    '<rootDir>/shared/src/**/*.test.ts',
    '<rootDir>/booth-client/src/**/*.test.ts',
    '<rootDir>/officer-console/src/**/*.test.ts',
    '<rootDir>/test/**/*.test.ts',
  ],
  testTimeout: 30_000,
};
