// One jest project per workspace. Node workspaces are ESM, compiled by swc (no type-check: `npm run
// typecheck` does that). The controls run in jsdom with their own config.
import { existsSync } from 'node:fs';

const swc = ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'es6' } }];

export const nodeProject = (name, extra = {}) => ({
  displayName: name,
  rootDir: `<rootDir>/${extra.dir ?? name}`,
  testEnvironment: 'node',
  extensionsToTreatAsEsm: ['.ts'],
  transform: { '^.+\\.ts$': swc },
  testMatch: ['<rootDir>/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', '/out/', '/dist/'],
  ...Object.fromEntries(Object.entries(extra).filter(([k]) => k !== 'dir')),
});

const config = {
  projects: [
    nodeProject('sandbox'),
    nodeProject('bridge-service'),
    nodeProject('solution'),
    nodeProject('test', { testPathIgnorePatterns: ['/node_modules/', '/browser/', '/slow/', '/test/reliability/', '/test/deploy/'] }),
  ],
};

if (existsSync(new URL('./controls/jest.config.cjs', import.meta.url))) {
  config.projects.push('<rootDir>/controls/jest.config.cjs');
}

export default config;
