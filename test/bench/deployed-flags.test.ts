import { describe, expect, it } from '@jest/globals';
import { deployedNodeFlags, deployedNodeFlagsOf } from './deployed-flags';
import { repoRoot } from './procs';

describe('the node flags the bench gives the bridge', () => {
  it("are the image's NODE_OPTIONS, then those of its CMD between node and the entry", () => {
    expect(deployedNodeFlags('FROM a AS b\nENV NODE_ENV=production NODE_OPTIONS=--max-old-space-size=64\nCMD ["node", "--enable-source-maps", "x/server.js"]\n'))
      .toEqual(['--max-old-space-size=64', '--enable-source-maps']);
    expect(() => deployedNodeFlags('FROM a\nCMD ["npm", "start"]\n')).toThrow(/no CMD/);
  });

  it("include the repository Dockerfile's heap limit", () => {
    expect(deployedNodeFlagsOf(repoRoot).some((f) => /^--max-old-space-size=\d+$/.test(f))).toBe(true);
  });
});
