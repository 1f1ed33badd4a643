// `finops-bridge login` and `logout`, and where the admin commands find their token: --token, then BRIDGE_TOKEN,
// then the sign-in agent. A token is never printed, whichever way it came.
import { agentDir, agentSocket, askAgent, ensurePrivateDir, startAgent, type Session } from './agent';
import { flag, type ParsedArgs } from './args';
import { loginSettings, pollForToken, requestDeviceCode, tokenUser, type PollOptions } from './device-code';
import { CliError } from './errors';
import { EXIT, type Io } from './io';

export async function runLogin(env: NodeJS.ProcessEnv, io: Io, poll: PollOptions = {}): Promise<number> {
  const s = loginSettings(env);
  ensurePrivateDir(agentDir(env)); // before the user signs in: where the token would be kept must be usable
  const dc = await requestDeviceCode(s);
  // The user must see this even with --json (where stdout carries only the result document).
  if (io.json) io.err(dc.message);
  else io.out(dc.message);
  const t = await pollForToken(s, dc, poll);
  const who = tokenUser(t.access_token);
  const session: Session = {
    accessToken: t.access_token, refreshToken: t.refresh_token, expiresAt: Date.now() + t.expires_in * 1000,
    tokenEndpoint: `${s.authority}/oauth2/v2.0/token`, clientId: s.clientId, scope: s.scope, user: who.name,
  };
  await startAgent(env);
  const r = await askAgent(env, { op: 'put', session });
  if (!r?.ok) throw new CliError('The sign-in agent did not take the token: run `finops-bridge login` again.');
  if (io.json) {
    io.out(JSON.stringify({ ok: true, user: who.name, roles: who.roles, expiresAt: new Date(session.expiresAt).toISOString(), agentPid: r.pid, refreshes: Boolean(t.refresh_token) }));
  } else {
    io.out(`Signed in as ${who.name}${who.roles.length ? `, app roles ${who.roles.join(', ')}` : ', no app role'}.`);
    io.out(`The token stays in memory in the sign-in agent (process ${r.pid}, socket ${agentSocket(env)})${t.refresh_token ? ', renewed as needed,' : ''} until \`finops-bridge logout\`.`);
    if (!who.roles.includes('Sync.Admin')) io.out('This user lacks the Sync.Admin app role, so the bridge will refuse the admin commands (403): assign the role in Entra, or sign in as another user.');
  }
  return EXIT.ok;
}

export async function runLogout(env: NodeJS.ProcessEnv, io: Io): Promise<number> {
  const r = await askAgent(env, { op: 'stop' });
  if (io.json) io.out(JSON.stringify({ ok: true, wasSignedIn: Boolean(r?.ok) }));
  else io.out(r?.ok ? 'Signed out: the sign-in agent forgot the token and stopped.' : 'Not signed in: no sign-in agent was running.');
  return EXIT.ok;
}

/** Characters a bearer token (RFC 6750 b64token, a JWT) may hold: never spaces, line breaks or non-ASCII. */
const TOKEN_CHARS = /^[A-Za-z0-9\-._~+/]+=*$/;

/** --token, BRIDGE_TOKEN, then the agent's token; the error says how to get one. */
export async function resolveToken(args: ParsedArgs, env: NodeJS.ProcessEnv): Promise<string> {
  const fromFlag = flag(args, 'token');
  const given = (fromFlag ?? env.BRIDGE_TOKEN)?.trim();
  if (given) {
    // Checked here because an HTTP client's error about a bad header value quotes the value, token and all.
    if (!TOKEN_CHARS.test(given)) throw new CliError(`The token in ${fromFlag !== undefined ? '--token' : 'BRIDGE_TOKEN'} is not a bearer token (it holds spaces, line breaks or characters a token never has); it is not shown here. Pass the access token alone, or run \`finops-bridge login\`.`, EXIT.usage);
    return given;
  }
  if (args.flags.token === true) throw new CliError('--token needs a value: --token <bearer token>.', EXIT.usage);
  const r = process.platform === 'win32' ? undefined : await askAgent(env, { op: 'get' });
  if (r?.ok && r.token) return r.token;
  if (r && !r.ok && r.reason === 'expired') throw new CliError(`${r.message} (Or pass --token <bearer token> or set BRIDGE_TOKEN.)`, EXIT.usage);
  throw new CliError('Not signed in. Run `finops-bridge login` (a user with the Sync.Admin app role), or pass --token <bearer token> or set BRIDGE_TOKEN.', EXIT.usage);
}
