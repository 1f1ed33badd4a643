// Pure: the benchmark's options from its command line. --quick sets smaller volumes; every number can
// be set on its own. Unknown flags are an error that lists the known ones.

export interface BenchOptions {
  quick: boolean;
  customers: number;
  /** Edits per second in each live-sync direction. */
  rate: number;
  liveSeconds: number;
  /** Live-sync seconds per direction for the PostgreSQL and two-instance comparisons. */
  compareSeconds: number;
  readSeconds: number;
  connections: number;
  build: boolean;
  postgres: boolean;
  twoInstances: boolean;
  cpuProf: boolean;
  /** Issue 20: the reconciliation sweep phase and the initial sync at the real service-protection limits. */
  sweep: boolean;
  limited: boolean;
}

const NUMBERS = { '--customers': 'customers', '--rate': 'rate', '--seconds': 'liveSeconds', '--compare-seconds': 'compareSeconds', '--read-seconds': 'readSeconds', '--connections': 'connections' } as const;
const FLAGS = ['--quick', '--no-build', '--no-postgres', '--no-two', '--cpu-prof', '--no-sweep', '--no-limited'];

export function parseOptions(argv: readonly string[]): BenchOptions {
  const quick = argv.includes('--quick');
  const o: BenchOptions = quick
    ? { quick, customers: 10_000, rate: 200, liveSeconds: 10, compareSeconds: 5, readSeconds: 5, connections: 10, build: true, postgres: true, twoInstances: true, cpuProf: false, sweep: true, limited: true }
    : { quick, customers: 100_000, rate: 200, liveSeconds: 60, compareSeconds: 30, readSeconds: 20, connections: 10, build: true, postgres: true, twoInstances: true, cpuProf: false, sweep: true, limited: true };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a in NUMBERS) {
      const n = Number(argv[++i]);
      if (!Number.isFinite(n) || n <= 0) throw new Error(`${a} needs a positive number, got ${argv[i] ?? 'nothing'}`);
      o[NUMBERS[a as keyof typeof NUMBERS]] = n;
    } else if (a === '--no-build') o.build = false;
    else if (a === '--no-postgres') o.postgres = false;
    else if (a === '--no-two') o.twoInstances = false;
    else if (a === '--cpu-prof') o.cpuProf = true;
    else if (a === '--no-sweep') o.sweep = false;
    else if (a === '--no-limited') o.limited = false;
    else if (a !== '--quick') throw new Error(`Unknown option ${a}. Known: ${[...FLAGS, ...Object.keys(NUMBERS).map((k) => `${k} N`)].join(', ')}`);
  }
  if (o.twoInstances && !o.postgres) o.twoInstances = false; // two instances share work through PostgreSQL only
  return o;
}
