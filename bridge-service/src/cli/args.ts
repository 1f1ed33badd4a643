// Pure parsing of the command line: positional words and --flags (--x value, --x=value, boolean --x).
export interface ParsedArgs {
  command?: string;
  positional: string[];
  flags: Record<string, string | true>;
}

const BOOLEAN = new Set(['json', 'help', 'failed-only', 'restart', 'no-follow']);

export function parseArgs(argv: readonly string[]): ParsedArgs {
  const positional: string[] = [];
  const flags: Record<string, string | true> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a.startsWith('--')) {
      const [name, inline] = a.slice(2).split(/=(.*)/s, 2);
      if (inline !== undefined) flags[name] = inline;
      else if (BOOLEAN.has(name) || i + 1 >= argv.length || argv[i + 1].startsWith('--')) flags[name] = true;
      else flags[name] = argv[++i];
    } else positional.push(a);
  }
  return { command: positional.shift(), positional, flags };
}

export function flag(args: ParsedArgs, name: string): string | undefined {
  const v = args.flags[name];
  return typeof v === 'string' ? v : undefined;
}

export const USAGE = `Usage: finops-bridge <command> [options]   (add --json for machine-readable output)
  setup                       register the Dataverse webhook and the F&O event endpoint (idempotent)
  doctor                      check configuration, services, tokens, registrations; say how to fix
  maps | status               maps with state, counters and lag
  initial-sync <map> [--company usmf[,nlmf]] [--wins fno|dataverse] [--failed-only] [--restart] [--no-follow]
  pause <map> | resume <map>
  errors [--map <map>]        parked and retrying records;  retry <id> | dismiss <id>
  conflicts [--map <map>]     resolved conflicts;           dismiss-conflict <id>
  deletes [--map <map>] [--limit n]         deletes propagated by the maps' delete policies, newest first
  notifications [--map <map>] [--limit n]   notifications, newest first, with their delivery to each webhook
  audit [--account <id>] [--from <ISO time>] [--to <ISO time>] [--limit n]   audited finance edits, newest first
  login                       sign in with a code in a browser (device code); the token stays in memory in an agent
  logout                      forget the token and stop the agent
Admin commands call the bridge at BRIDGE_URL (default http://127.0.0.1:4000) with --token, else BRIDGE_TOKEN,
else the token of \`finops-bridge login\` (never printed). The bridge's own environment variables configure setup/doctor. In a clone of the
repository, "npm run admin -- <command>" runs these against the running demo sandbox, token included.`;
