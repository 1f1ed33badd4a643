/* eslint-disable @typescript-eslint/no-require-imports -- a CommonJS file (controls/ is not an ES module package) */
// The PCF controls run in jsdom, compiled by swc to CommonJS with classic JSX (React 16).
const path = require('node:path');

const root = path.resolve(__dirname, '..');

module.exports = {
  displayName: 'controls',
  rootDir: __dirname,
  testEnvironment: 'jsdom',
  transform: {
    '^.+\\.(ts|tsx)$': ['@swc/jest', {
      jsc: { parser: { syntax: 'typescript', tsx: true }, target: 'es2019', transform: { react: { runtime: 'classic' } } },
      module: { type: 'commonjs' },
    }],
  },
  testMatch: ['<rootDir>/**/*.test.ts', '<rootDir>/**/*.test.tsx'],
  testPathIgnorePatterns: ['/node_modules/', '/out/', '/preview-host/'],
  // jsdom would otherwise pick sinon's ESM build, which jest cannot load as CommonJS.
  // Fluent 8.29 deep-imports files of newer helper packages whose `exports` maps no longer list them.
  moduleNameMapper: {
    '^sinon$': path.join(root, 'node_modules/sinon/lib/sinon.js'),
    '^(@fluentui/[^/]+)/(lib-commonjs/.+)$': path.join(root, 'node_modules/$1/$2'),
  },
  setupFiles: ['<rootDir>/test/setup.cjs'],
};
