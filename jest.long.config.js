// The long suites, kept out of `npm test`: crash trials and large volumes (`npm run test:slow`), fault trials
// and outages of minutes (`npm run test:reliability`),
// the browser tests in headless Chromium (`npm run test:browser`) and the production build as the Dockerfile
// runs it (`npm run test:deploy`). `.ci/run` runs them all.
import { existsSync } from 'node:fs';
import { nodeProject } from './jest.config.js';

export default {
  // testTimeout is a global option in jest (a project cannot set it): generous, the trials are long.
  testTimeout: 600_000,
  projects: [
    nodeProject('slow', { dir: 'test/slow' }),
    nodeProject('reliability', { dir: 'test/reliability' }),
    nodeProject('browser', { dir: 'test/browser' }),
    nodeProject('deploy', { dir: 'test/deploy' }),
  ].filter((p) => existsSync(new URL(p.rootDir.replace('<rootDir>/', './'), import.meta.url))),
};
