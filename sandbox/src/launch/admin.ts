// `npm run admin -- <command>` in a clone of the repository: the product's own CLI (finops-bridge), pointed at
// the running demo. Without FNO_URL/DATAVERSE_URL it adds the sandbox's configuration (found by itself, see
// running.ts) and, for admin commands without --token, BRIDGE_TOKEN or a `login` (the sign-in agent), a token of
// the demo admin user from the sandbox issuer. With them set, the CLI runs untouched.
import { askAgent, runCli } from '@finops-bridge/bridge-service';
import { sandboxEnv, sandboxUrlsFor } from './bridge-env';
import { findSandbox } from './running';
import { credentialsForm } from '../token-cli';
import { BRIDGE_API } from '../identity/principals';

const NEEDS_NO_TOKEN = new Set(['setup', 'doctor', 'help', 'login', 'logout', '__agent']);

/** The environment the CLI gets for the demo: the sandbox's variables, the bridge's address. */
export function demoEnv(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const found = findSandbox(env);
  const ports = { SANDBOX_HOST: found.host, SANDBOX_FNO_PORT: String(found.fnoPort), SANDBOX_DATAVERSE_PORT: String(found.dataversePort), SANDBOX_IDENTITY_PORT: String(found.identityPort) };
  const bridgePort = env.PORT ?? String(found.bridgePort ?? 4000);
  return { ...env, ...sandboxEnv(sandboxUrlsFor(ports)), BRIDGE_URL: env.BRIDGE_URL ?? `http://${found.host}:${bridgePort}`, PORT: bridgePort };
}

async function demoAdminToken(env: NodeJS.ProcessEnv): Promise<string> {
  const form = credentialsForm('admin');
  form.set('scope', `${BRIDGE_API.appIdUri}/.default`);
  let res: Response;
  try {
    res = await fetch(env.TOKEN_URL!, { method: 'POST', body: form, signal: AbortSignal.timeout(5000) });
  } catch {
    throw new Error(`No sandbox issuer answers at ${new URL(env.TOKEN_URL!).origin}: start the demo first (npm start), or pass --token.`);
  }
  const body = (await res.json()) as { access_token?: string; error_description?: string };
  if (!body.access_token) throw new Error(`The sandbox issuer refused the admin token: ${body.error_description ?? res.status}`);
  return body.access_token;
}

async function main(argv: string[]): Promise<number> {
  if (process.env.FNO_URL || process.env.DATAVERSE_URL) return runCli(argv);
  const env = demoEnv(process.env);
  const command = argv.find((a) => !a.startsWith('-'));
  const signedIn = async () => (await askAgent(env, { op: 'get' }).catch(() => undefined))?.ok === true;
  if (command && !NEEDS_NO_TOKEN.has(command) && !argv.includes('--token') && !env.BRIDGE_TOKEN && !(await signedIn())) env.BRIDGE_TOKEN = await demoAdminToken(env);
  return runCli(argv, env);
}

main(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (err: unknown) => {
  console.error(err instanceof Error ? err.message : String(err));
  process.exitCode = 1;
});
