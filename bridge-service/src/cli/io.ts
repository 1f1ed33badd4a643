// Output of the commands: plain lines for people, one JSON document with --json for machines.
export interface Io {
  out(line: string): void;
  err(line: string): void;
  /** True with --json: commands print one JSON document and no prose. */
  json: boolean;
}

export const EXIT = { ok: 0, problems: 1, usage: 2 } as const;

export function consoleIo(json: boolean): Io {
  return { out: (l) => process.stdout.write(`${l}\n`), err: (l) => process.stderr.write(`${l}\n`), json };
}

/** Collects output (tests, and --json commands that build their document first). */
export function memoryIo(json = false): Io & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, json, out: (l) => lines.push(l), err: (l) => errors.push(l) };
}

export function duration(seconds: number | null): string {
  if (seconds === null || !Number.isFinite(seconds)) return 'unknown';
  const s = Math.round(seconds);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
