// Entry of `finops-bridge <command>` (bin/finops-bridge.js runs the built dist/cli.js, or this file through
// tsx in a clone that was not built). `runCli` does the work and returns the exit code, so tests run commands
// in-process against real HTTP servers.
import { ConfigError } from '../config';
import { CliError, runAdmin } from './admin';
import { runAgent } from './agent';
import { USAGE, parseArgs } from './args';
import { loadCliContext, type CliContext } from './context';
import { runDoctor } from './doctor';
import { EXIT, consoleIo, type Io } from './io';
import { resolveToken, runLogin, runLogout } from './login';
import { runSetup } from './setup';

const ADMIN = new Set(['maps', 'status', 'initial-sync', 'pause', 'resume', 'errors', 'retry', 'dismiss', 'conflicts', 'dismiss-conflict', 'deletes', 'notifications', 'audit']);

export async function runCli(argv: readonly string[], env: NodeJS.ProcessEnv = process.env, io?: Io, opts: { pollMs?: number } = {}): Promise<number> {
  const args = parseArgs(argv);
  const o = io ?? consoleIo(args.flags.json === true);
  if (!args.command || args.flags.help || args.command === 'help') {
    o.out(USAGE);
    return args.command || args.flags.help ? EXIT.ok : EXIT.usage;
  }
  try {
    if (args.command === 'doctor') return await runDoctor(env, o);
    if (args.command === 'setup') return await runSetup(loadCliContext(env), o);
    if (args.command === 'login') return await runLogin(env, o);
    if (args.command === 'logout') return await runLogout(env, o);
    if (args.command === '__agent') return await runAgent(env);
    if (ADMIN.has(args.command)) {
      let ctx: CliContext | undefined;
      try { ctx = loadCliContext(env); } catch { ctx = undefined; /* admin commands need only BRIDGE_URL and a token */ }
      const url = (env.BRIDGE_URL ?? ctx?.bridgeUrl ?? 'http://127.0.0.1:4000').replace(/\/+$/, '');
      return await runAdmin(args.command, args, { url, token: await resolveToken(args, env) }, o, opts.pollMs);
    }
    o.err(`Unknown command "${args.command}".`);
    o.err(USAGE);
    return EXIT.usage;
  } catch (err) {
    if (err instanceof CliError) {
      o.err(err.message);
      return err.code;
    }
    if (err instanceof ConfigError) {
      o.err(err.message);
      return EXIT.problems;
    }
    o.err(`${args.command} failed: ${err instanceof Error ? err.message : String(err)}`);
    return EXIT.problems;
  }
}

if (process.argv[1] && /cli[/\\]main\.ts$/.test(process.argv[1])) {
  runCli(process.argv.slice(2)).then((code) => { process.exitCode = code; }, (err: unknown) => { console.error(err); process.exitCode = 1; });
}
