// Where a running sandbox is: its start writes its addresses to <DATA_DIR>/sandbox.json (default ./data,
// relative to the repository root where npm runs scripts), so a second terminal (`npm run -s token`,
// `npm run admin`) finds it without repeating the port variables. Variables set in that terminal still win.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { sandboxAddresses, type SandboxAddresses } from '../config';

export interface RunningSandbox extends SandboxAddresses { bridgePort?: number; pid: number }

export const runningFile = (env: NodeJS.ProcessEnv = process.env): string => path.resolve(env.DATA_DIR ?? './data', 'sandbox.json');

export function writeRunning(r: RunningSandbox, env: NodeJS.ProcessEnv = process.env): () => void {
  const file = runningFile(env);
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, `${JSON.stringify(r, null, 2)}\n`);
  return () => {
    try {
      const now = JSON.parse(readFileSync(file, 'utf8')) as RunningSandbox;
      if (now.pid === r.pid) rmSync(file, { force: true });
    } catch { /* already gone */ }
  };
}

/** The addresses of the sandbox this terminal should talk to: port variables if set, else the running
 * sandbox's file, else the defaults. */
export function findSandbox(env: NodeJS.ProcessEnv = process.env): SandboxAddresses & { bridgePort?: number } {
  const own = sandboxAddresses(env);
  const set = ['SANDBOX_HOST', 'SANDBOX_FNO_PORT', 'SANDBOX_DATAVERSE_PORT', 'SANDBOX_IDENTITY_PORT'].some((k) => env[k]);
  const file = runningFile(env);
  if (set || !existsSync(file)) return own;
  try {
    const r = JSON.parse(readFileSync(file, 'utf8')) as RunningSandbox;
    return { host: r.host, fnoPort: r.fnoPort, dataversePort: r.dataversePort, identityPort: r.identityPort, bridgePort: r.bridgePort };
  } catch {
    return own;
  }
}
