// Runs support/bridge-child.ts as a child process that a trial can kill with SIGKILL and start again on
// the same store and port. Its log (stdout) is appended to a file per trial, for the repro of a failure.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import readline from 'node:readline';
import type { Sandbox } from '@finops-bridge/sandbox';
import type { EngineSettings } from '../../../bridge-service/src/config';

const script = new URL('./bridge-child.ts', import.meta.url).pathname;

export interface ChildBridgeOptions {
  sandbox: Pick<Sandbox, 'urls'>;
  dataDir?: string;
  databaseUrl?: string;
  settings?: Partial<EngineSettings>;
  logLevel?: string;
  logFile: string;
}


export class ChildBridge {
  url = '';
  private port = 0;
  private child: ChildProcess | undefined;
  private log: fs.WriteStream | undefined;
  starts = 0;
  /** Where the next start's log goes (a trial may switch files between starts). */
  logFile: string;

  constructor(private readonly o: ChildBridgeOptions) {
    this.logFile = o.logFile;
  }

  /** Starts the bridge (again) and resolves with its URL once it listens; the same port as last time. */
  async start(): Promise<string> {
    const log = fs.createWriteStream(this.logFile, { flags: 'a' });
    this.log = log;
    log.write(`--- start ${++this.starts} at ${new Date().toISOString()}\n`);
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      env: {
        ...process.env, NODE_OPTIONS: '', SANDBOX_URLS: JSON.stringify(this.o.sandbox.urls), DATA_DIR: this.o.dataDir ?? '',
        DATABASE_URL: this.o.databaseUrl ?? '', PORT: String(this.port), ENGINE_SETTINGS: JSON.stringify(this.o.settings ?? {}),
        LOG_LEVEL: this.o.logLevel ?? 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    child.stderr.pipe(log, { end: false });
    const lines = readline.createInterface({ input: child.stdout });
    const url = await new Promise<string>((resolve, reject) => {
      const early = (code: number | null) => reject(new Error(`the bridge process exited before it listened (code ${code}); see ${this.logFile}`));
      child.once('exit', early);
      lines.on('line', (line) => {
        log.write(`${line}\n`);
        if (line.startsWith('{"url"')) {
          child.off('exit', early);
          resolve((JSON.parse(line) as { url: string }).url);
        }
      });
    });
    child.once('close', () => log.end());
    this.url = url;
    this.port = Number(new URL(url).port);
    return url;
  }

  /** A line of the test's own in the log (trial markers), between the bridge's lines. */
  note(text: string): void {
    if (this.log?.writable) this.log.write(`--- ${new Date().toISOString()} ${text}\n`);
  }

  get alive(): boolean {
    return !!this.child && this.child.exitCode === null && this.child.signalCode === null && !this.child.killed;
  }

  /** Sends SIGKILL now, synchronously (callable from inside a sandbox write). */
  killNow(): void {
    const child = this.child;
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  }

  /** SIGKILL: no graceful stop, leases stay with the dead worker until they expire. Resolves when it is gone. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    const gone = () => child.exitCode !== null || child.signalCode !== null;
    const exited = gone() ? Promise.resolve() : new Promise((r) => child.once('exit', r));
    this.killNow();
    await exited;
  }

  /** Graceful stop (SIGTERM), SIGKILL after 10 s. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((r) => child.once('exit', r));
    child.kill('SIGTERM');
    const t = setTimeout(() => child.kill('SIGKILL'), 10_000);
    await exited;
    clearTimeout(t);
  }
}
