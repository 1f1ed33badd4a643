// ESLint 9 flat config: typescript-eslint with type information everywhere; React, hooks and the
// Power Apps checker rules for the PCF controls.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import react from 'eslint-plugin-react';
import reactHooks from 'eslint-plugin-react-hooks';
import powerApps from '@microsoft/eslint-plugin-power-apps';
import globals from 'globals';

export default tseslint.config(
  {
    ignores: ['**/node_modules/**', '**/out/**', '**/dist/**', '**/generated/**', '**/coverage/**',
      'controls/preview-host/vendor/**', 'test/artifacts/**', 'bench-results/**'],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      parserOptions: { projectService: { allowDefaultProject: ['*.js', '*.cjs', 'controls/*.cjs', 'bridge-service/scripts/*.mjs'] }, tsconfigRootDir: import.meta.dirname },
      globals: { ...globals.node },
    },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: false }],
    },
  },
  {
    // The product stands apart from its sandbox: the sandbox side may compose the bridge, never the reverse
    // (no demo users, passwords or sandbox-only APIs in what ships).
    files: ['bridge-service/src/**/*.ts', 'bridge-service/bin/**/*.js'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: '@finops-bridge/sandbox', message: 'The bridge must not import the sandbox (the sandbox composes the bridge).' }],
        patterns: [{ group: ['**/sandbox/**', '@finops-bridge/sandbox/**'], message: 'The bridge must not import the sandbox (the sandbox composes the bridge).' }],
      }],
    },
  },
  {
    files: ['**/*.test.ts', '**/*.test.tsx', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/unbound-method': 'off',
    },
  },
  {
    files: ['controls/**/*.ts', 'controls/**/*.tsx'],
    plugins: { react, 'react-hooks': reactHooks, '@microsoft/power-apps': powerApps },
    languageOptions: { globals: { ...globals.browser } },
    settings: { react: { version: '16.14' } },
    rules: {
      ...react.configs.recommended.rules,
      ...reactHooks.configs.recommended.rules,
      ...powerApps.configs.paCheckerHosted.rules,
      'react/react-in-jsx-scope': 'off',
    },
  },
  {
    files: ['**/*.js', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
