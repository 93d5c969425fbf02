import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['**/node_modules/**', 'registry-server/dist/**', 'data/**', '**/.iii-publish/**', 'tests/artifacts/**', '**/*.d.ts'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  { languageOptions: { globals: { ...globals.node } } },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      'no-console': 'off',
    },
  },
  {
    // Tests read arbitrary JSON bodies; typing every response shape there buys nothing.
    files: ['tests/**/*.ts', 'bench/**/*.ts'],
    rules: { '@typescript-eslint/no-explicit-any': 'off' },
  },
  {
    files: ['registry-server/src/**/*.ts'],
    ignores: ['registry-server/src/main.ts', 'registry-server/src/keys-cli.ts', 'registry-server/src/mirror-cli.ts', 'registry-server/src/migrate-to-postgres.ts'],
    rules: { 'no-console': 'error' },
  },
);
