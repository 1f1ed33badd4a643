// Reads a Dockerfile into its stages and instructions, so the deployment test can run the very steps an image
// build runs (this machine, like CI's, has no container engine). Only what our Dockerfile uses is understood;
// anything else fails loudly rather than being skipped.
export type Instruction =
  | { op: 'FROM'; image: string; as?: string }
  | { op: 'WORKDIR'; dir: string }
  | { op: 'ENV'; vars: Record<string, string> }
  | { op: 'COPY'; from?: string; sources: string[]; dest: string }
  | { op: 'RUN'; command: string }
  | { op: 'CMD'; argv: string[] }
  | { op: 'HEALTHCHECK'; argv: string[] }
  | { op: 'USER' | 'VOLUME' | 'EXPOSE'; value: string };

export interface Stage { image: string; name?: string; steps: Instruction[] }

function logicalLines(text: string): string[] {
  const out: string[] = [];
  let current = '';
  for (const raw of text.split('\n')) {
    if (/^\s*#/.test(raw) || (!current && !raw.trim())) continue;
    if (raw.endsWith('\\')) current += `${raw.slice(0, -1)} `;
    else {
      out.push((current + raw).trim());
      current = '';
    }
  }
  return out;
}

function execForm(rest: string): string[] {
  const parsed: unknown = JSON.parse(rest);
  if (!Array.isArray(parsed) || !parsed.every((a) => typeof a === 'string')) throw new Error(`not an exec-form array: ${rest}`);
  return parsed;
}

export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  for (const line of logicalLines(text)) {
    const [, op, rest] = /^(\w+)\s+(.*)$/.exec(line) ?? [];
    const stage = stages[stages.length - 1];
    const push = (i: Instruction) => {
      if (!stage) throw new Error(`${op} before FROM`);
      stage.steps.push(i);
    };
    switch (op?.toUpperCase()) {
      case 'FROM': {
        const [image, as, name] = rest.split(/\s+/);
        stages.push({ image, name: as?.toUpperCase() === 'AS' ? name : undefined, steps: [] });
        break;
      }
      case 'WORKDIR': push({ op: 'WORKDIR', dir: rest }); break;
      case 'ENV': push({ op: 'ENV', vars: Object.fromEntries(rest.split(/\s+/).map((kv) => [kv.slice(0, kv.indexOf('=')), kv.slice(kv.indexOf('=') + 1)])) }); break;
      case 'COPY': {
        const parts = rest.split(/\s+/);
        const from = parts[0].startsWith('--from=') ? parts.shift()!.slice('--from='.length) : undefined;
        const dest = parts.pop()!;
        push({ op: 'COPY', from, sources: parts, dest });
        break;
      }
      case 'RUN': push({ op: 'RUN', command: rest }); break;
      case 'CMD': push({ op: 'CMD', argv: execForm(rest) }); break;
      case 'HEALTHCHECK': push({ op: 'HEALTHCHECK', argv: execForm(rest.slice(rest.indexOf('CMD') + 3).trim()) }); break;
      case 'USER': case 'VOLUME': case 'EXPOSE': push({ op: op.toUpperCase() as 'USER', value: rest }); break;
      default: throw new Error(`Dockerfile instruction not understood by the test: ${line}`);
    }
  }
  return stages;
}
