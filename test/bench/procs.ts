// Child processes of the benchmark: spawn `node --import tsx <entry>`, or plain `node <entry>` for built
// JavaScript (so the pid is node itself and its /proc status is the process we measure), wait for a ready line, stop with SIGTERM, read peak memory.
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, createWriteStream } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface Child {
  name: string;
  proc: ChildProcess;
  pid: number;
  /** Resolves with the first stdout line that matches, or rejects when the process exits first or time runs out. */
  ready: Promise<string>;
  stop(): Promise<void>;
}

export interface SpawnOptions {
  name: string;
  entry: string;
  /** false for built JavaScript (the bridge's production build): no TypeScript loader in the process. */
  tsx?: boolean;
  env?: Record<string, string>;
  nodeArgs?: string[];
  readyPattern: RegExp;
  readyTimeoutMs?: number;
  /** Where stdout and stderr go (a file under bench-results). */
  logFile: string;
  cwd: string;
}

export function spawnNode(o: SpawnOptions): Child {
  const proc = spawn(process.execPath, [...(o.nodeArgs ?? []), ...(o.tsx === false ? [] : ['--import', 'tsx']), o.entry], {
    cwd: o.cwd, env: { ...process.env, ...o.env }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = createWriteStream(o.logFile);
  proc.stderr.pipe(log, { end: false });
  const ready = new Promise<string>((resolve, reject) => {
    let buf = '';
    let done = false;
    const timer = setTimeout(() => {
      if (!done) reject(new Error(`${o.name} did not report ready within ${o.readyTimeoutMs ?? 120_000} ms; see ${o.logFile}`));
    }, o.readyTimeoutMs ?? 120_000);
    proc.stdout.on('data', (chunk: Buffer) => {
      log.write(chunk);
      if (done) return;
      buf += chunk.toString('utf8');
      const lines = buf.split('\n');
      buf = lines.pop() ?? '';
      const hit = lines.find((l) => o.readyPattern.test(l));
      if (hit !== undefined) {
        done = true;
        clearTimeout(timer);
        resolve(hit);
      }
    });
    proc.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (!done) reject(new Error(`${o.name} exited (code ${code}, signal ${signal}) before it was ready; see ${o.logFile}`));
      done = true;
    });
  });
  ready.catch(() => undefined);
  const stop = () => new Promise<void>((resolve) => {
    if (proc.exitCode !== null || proc.signalCode !== null) { log.end(); return resolve(); }
    const force = setTimeout(() => proc.kill('SIGKILL'), 10_000);
    proc.once('exit', () => { clearTimeout(force); log.end(); resolve(); });
    proc.kill('SIGTERM');
  });
  return { name: o.name, proc, pid: proc.pid!, ready, stop };
}

/** Peak resident memory (VmHWM) and current (VmRSS) of a live process, in MB, from /proc/<pid>/status. */
export function memoryOf(pid: number): { peakMb: number; rssMb: number } | null {
  try {
    return parseProcStatus(readFileSync(`/proc/${pid}/status`, 'utf8'));
  } catch {
    return null;
  }
}

/** Pure: VmHWM and VmRSS (kB in the file) as MB with one decimal. */
export function parseProcStatus(text: string): { peakMb: number; rssMb: number } | null {
  const kb = (field: string) => {
    const m = new RegExp(`^${field}:\\s+(\\d+)\\s+kB`, 'm').exec(text);
    return m ? Number(m[1]) : null;
  };
  const hwm = kb('VmHWM');
  const rss = kb('VmRSS');
  if (hwm === null || rss === null) return null;
  return { peakMb: Math.round(hwm / 102.4) / 10, rssMb: Math.round(rss / 102.4) / 10 };
}

export const repoRoot = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
