// CPU time of a process from /proc/<pid>/stat (utime + stime, in clock ticks), and the pure arithmetic of
// records per CPU-second and the two-instance share.
import { execFileSync } from 'node:child_process';
import { shareOf } from './stats';
import { readFileSync } from 'node:fs';

let ticks: number | null = null;

/** Clock ticks per second (`getconf CLK_TCK`, normally 100). */
export function clockTicks(): number {
  if (ticks === null) {
    try { ticks = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100; } catch { ticks = 100; }
  }
  return ticks;
}

/** Pure: utime and stime (fields 14 and 15, clock ticks) of a /proc/<pid>/stat line. The command name may hold spaces and parentheses. */
export function parseProcStat(text: string): { utime: number; stime: number } | null {
  const close = text.lastIndexOf(')');
  if (close < 0) return null;
  const f = text.slice(close + 2).trim().split(/\s+/); // f[0] is field 3 (state)
  const utime = Number(f[11]);
  const stime = Number(f[12]);
  return Number.isFinite(utime) && Number.isFinite(stime) && f.length > 12 ? { utime, stime } : null;
}

/** CPU seconds (user + system) a live process has used, or null when it is gone. */
export function cpuSecondsOf(pid: number): number | null {
  try {
    const s = parseProcStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    return s ? (s.utime + s.stime) / clockTicks() : null;
  } catch {
    return null;
  }
}

/** Pure: CPU seconds used between two readings of the same processes (null if any reading is missing). */
export function cpuDelta(before: readonly (number | null)[], after: readonly (number | null)[]): number[] | null {
  if (before.length !== after.length) return null;
  const out: number[] = [];
  for (let i = 0; i < before.length; i++) {
    const a = before[i];
    const b = after[i];
    if (a === null || b === null) return null;
    out.push(Math.round((b - a) * 100) / 100);
  }
  return out;
}

/** Pure: records per CPU-second of all instances together; null without CPU time. */
export function perCpuSecond(records: number, cpuSec: readonly number[] | null | undefined): number | null {
  const total = (cpuSec ?? []).reduce((a, b) => a + b, 0);
  return total > 0 && records > 0 ? Math.round((records / total) * 10) / 10 : null;
}

/** Pure: (records/cpuSec with 2 instances) / (records/cpuSec with 1), two decimals; 1.0 = the second instance costs no CPU for the same work. */
export function cpuShare(x1: { records: number; cpuSec: readonly number[] | null | undefined }, x2: { records: number; cpuSec: readonly number[] | null | undefined }): number | null {
  const a = perCpuSecond(x1.records, x1.cpuSec);
  const b = perCpuSecond(x2.records, x2.cpuSec);
  return shareOf(b, a);
}
