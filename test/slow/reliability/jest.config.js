// The fault trials (npm run test:reliability, run by .ci/run after test:slow): faults, a PostgreSQL
// restart and long outages (minutes, so not in npm test). Same swc/ESM setup as the root projects; one
// file at a time, generous timeouts.
const swc = ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'es6' } }];

export default {
  displayName: 'reliability-slow',
  rootDir: '../../..',
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  testMatch: ['<rootDir>/test/reliability/**/*.test.ts', '<rootDir>/test/slow/reliability/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
  testTimeout: 300_000,
  maxWorkers: 1,
};
