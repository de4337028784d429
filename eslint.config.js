// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const electronBan = {
  name: 'electron',
  message: 'The core and shared code run on plain Node: keep electron in src/main/electron and pass what you need in as a port.',
};

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', '.native/**', 'coverage/**', 'test-results/**', 'playwright-report/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['src/main/core/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { paths: [electronBan], patterns: [{ group: ['electron/*'], message: electronBan.message }] }],
    },
  },
  {
    files: ['src/shared/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [electronBan],
          patterns: [
            { group: ['electron/*'], message: electronBan.message },
            { group: ['node:*'], message: 'src/shared is pure TypeScript shared with the renderer: no node:* imports.' },
          ],
        },
      ],
    },
  },
  {
    files: ['src/renderer/**/*.{ts,tsx}', 'test/unit/renderer/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      ...reactHooks.configs.recommended.rules,
      // TanStack Table's hook returns fresh functions by design; we do not use the React Compiler, so the
      // "incompatible library" notice is noise here.
      'react-hooks/incompatible-library': 'off',
      'no-restricted-globals': ['error', { name: 'api', message: 'Features call src/renderer/src/api/client.ts, never window.api.' }],
      'no-restricted-properties': ['error', { object: 'window', property: 'api', message: 'Features call src/renderer/src/api/client.ts, never window.api.' }],
    },
  },
  {
    files: ['src/renderer/src/api/**/*.ts'],
    rules: { 'no-restricted-properties': 'off' },
  },
);
