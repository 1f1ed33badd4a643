// The node flags the Dockerfile's CMD gives the server (the heap limit, source maps), so the benchmark runs the
// bridge exactly as the image does and its RSS figure is the deployed one.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDockerfile } from '../deploy/dockerfile';

/** The last stage's NODE_OPTIONS (ENV), then the arguments between `node` and the entry of its CMD. */
export function deployedNodeFlags(dockerfile: string): string[] {
  const steps = parseDockerfile(dockerfile).at(-1)?.steps ?? [];
  const cmd = steps.find((s) => s.op === 'CMD');
  if (cmd?.op !== 'CMD' || cmd.argv[0] !== 'node') throw new Error('the Dockerfile has no CMD ["node", ..., entry] in its last stage');
  const options = steps.flatMap((s) => (s.op === 'ENV' && s.vars.NODE_OPTIONS ? s.vars.NODE_OPTIONS.split(' ') : []));
  return [...options, ...cmd.argv.slice(1, -1)];
}

export function deployedNodeFlagsOf(repoRoot: string): string[] {
  return deployedNodeFlags(readFileSync(path.join(repoRoot, 'Dockerfile'), 'utf8'));
}
