// @ts-check
/**
 * ESLint for the whole repository (`npm run lint`): type-aware typescript-eslint rules, each file
 * checked against the tsconfig.json nearest to it. Formatting is Prettier's job, not ESLint's.
 */
import js from '@eslint/js';
import prettierConfig from 'eslint-config-prettier';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  // The worker build script's text is the mediasoup worker's cache key: editing it forces a rebuild everywhere.
  globalIgnores(['**/dist/', 'coverage/', 'data/', 'scripts/build-mediasoup-worker.mjs']),
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    // A disable comment that no longer disables anything goes.
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: globals.node,
    },
    rules: {
      // A promise nobody awaits or catches hides its failure: handle it, or `void` it and say why.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      // Command handlers are async by contract even when they do not await: a throw becomes the error reply.
      '@typescript-eslint/require-await': 'off',
      // The same convention as tsc's noUnusedParameters: a leading underscore marks a parameter kept for its position.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['booth-client/src/**', 'officer-console/src/**'],
    languageOptions: { globals: globals.browser },
    rules: {
      // The views are built from closures, never classes: their methods use no `this`, so passing one on is safe.
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: ['shared/src/**'],
    languageOptions: { globals: globals['shared-node-browser'] },
  },
  {
    files: ['**/*.test.ts', 'test/**'],
    rules: {
      // jest's asymmetric matchers (expect.any, expect.stringMatching, ...) are typed `any`.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  {
    // Unit tests beside the browser and shared code are excluded from those tsconfigs and compiled with test's.
    files: ['booth-client/src/**/*.test.ts', 'officer-console/src/**/*.test.ts', 'shared/src/**/*.test.ts'],
    languageOptions: { parserOptions: { projectService: false, project: './test/tsconfig.json' } },
  },
  {
    // The root configuration files and the tests' plain-JavaScript child scripts belong to no tsconfig project.
    files: ['*.js', 'test/**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  prettierConfig,
);
