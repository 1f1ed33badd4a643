// The sign-in agent, as ssh-agent keeps keys: `finops-bridge login` starts (or reuses) one small background
// process that holds the user's token and refresh token in memory and answers on a Unix socket that only this
// user can open (a 0700 directory, the socket 0600). Later commands ask it; `logout` stops it. Nothing is written
// to a file but the socket itself, which holds no data.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { refreshToken } from './device-code';
import { CliError } from './errors';
import { EXIT } from './io';

export interface Session {
  accessToken: string;
  refreshToken?: string;
  /** Epoch ms. */
  expiresAt: number;
  tokenEndpoint: string;
  clientId: string;
  scope: string;
  user: string;
}

export type AgentRequest = { op: 'put'; session: Session } | { op: 'get' } | { op: 'stop' } | { op: 'ping' };
export type AgentReply = { ok: true; pid: number; token?: string; user?: string; expiresAt?: number } | { ok: false; reason: 'none' | 'expired'; message: string };

/** Refresh this long before expiry; the agent leaves after this long without a request. */
const REFRESH_MARGIN_MS = 5 * 60_000;
export const AGENT_IDLE_MS = 8 * 3600_000;

/** $XDG_RUNTIME_DIR/finops-bridge (a per-user tmpfs on systemd machines), else finops-bridge-<uid> under the temp dir. */
export function agentDir(env: NodeJS.ProcessEnv, uid = process.getuid?.() ?? 0, tmp = os.tmpdir()): string {
  return env.XDG_RUNTIME_DIR ? path.join(env.XDG_RUNTIME_DIR, 'finops-bridge') : path.join(tmp, `finops-bridge-${uid}`);
}

export const agentSocket = (env: NodeJS.ProcessEnv) => path.join(agentDir(env), 'agent.sock');

/** Creates the directory 0700, and refuses one another user owns or others may enter (someone could listen there). */
export function ensurePrivateDir(dir: string): void {
  if (process.platform === 'win32') throw new CliError('`finops-bridge login` keeps the token in an agent on a Unix socket, which Windows lacks here: pass --token or set BRIDGE_TOKEN.', EXIT.usage);
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  checkPrivateDir(dir);
}

/** An existing agent directory must be this user's alone: otherwise another user may be the one listening in it. */
function checkPrivateDir(dir: string): void {
  const st = fs.lstatSync(dir);
  if (!st.isDirectory() || st.uid !== process.getuid?.() || (st.mode & 0o077) !== 0) {
    throw new CliError(`${dir} is not a private directory of this user (it must be owned by you with mode 0700): remove it, or set XDG_RUNTIME_DIR to a private directory.`);
  }
}

/** One request, one reply; undefined when no agent listens (no socket, or a stale one). */
export async function askAgent(env: NodeJS.ProcessEnv, req: AgentRequest, timeoutMs = 5000): Promise<AgentReply | undefined> {
  const sock = agentSocket(env);
  if (!fs.existsSync(sock)) return undefined;
  checkPrivateDir(path.dirname(sock));
  return new Promise((resolve, reject) => {
    const c = net.createConnection(sock);
    let buf = '';
    const timer = setTimeout(() => { c.destroy(); reject(new CliError(`The sign-in agent at ${sock} does not answer: run \`finops-bridge logout\`, then log in again.`)); }, timeoutMs);
    c.on('connect', () => c.write(`${JSON.stringify(req)}\n`));
    c.on('data', (d) => { buf += d.toString('utf8'); });
    c.on('end', () => {
      clearTimeout(timer);
      try { resolve(JSON.parse(buf) as AgentReply); } catch { reject(new CliError(`The sign-in agent at ${sock} gave an unreadable answer.`)); }
    });
    c.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (err.code === 'ECONNREFUSED' || err.code === 'ENOENT') resolve(undefined);
      else reject(new CliError(`Cannot reach the sign-in agent at ${sock}: ${err.message}`));
    });
  });
}

/** Starts the agent as a detached process running this same command line, and waits until it answers. */
export async function startAgent(env: NodeJS.ProcessEnv): Promise<number> {
  ensurePrivateDir(agentDir(env));
  const running = await askAgent(env, { op: 'ping' });
  if (running?.ok) return running.pid;
  fs.rmSync(agentSocket(env), { force: true });
  const entry = process.argv[1];
  if (!entry) throw new CliError('Cannot start the sign-in agent: the command line\'s own script is unknown.');
  const childEnv = { ...process.env, ...env };
  delete childEnv.BRIDGE_TOKEN;
  const child = spawn(process.execPath, [...process.execArgv, entry, '__agent'], { detached: true, stdio: 'ignore', env: childEnv });
  child.unref();
  for (let i = 0; i < 100; i++) {
    await new Promise((r) => setTimeout(r, 100));
    const r = await askAgent(env, { op: 'ping' }).catch(() => undefined);
    if (r?.ok) return r.pid;
  }
  throw new CliError('The sign-in agent did not start within 10 seconds.');
}

/** The agent process (`finops-bridge __agent`, started by login): serves until `stop` or a long idle time. */
export async function runAgent(env: NodeJS.ProcessEnv, idleMs = AGENT_IDLE_MS): Promise<number> {
  const dir = agentDir(env);
  ensurePrivateDir(dir);
  const sock = agentSocket(env);
  let session: Session | undefined;
  let idle: NodeJS.Timeout | undefined;

  async function answer(req: AgentRequest): Promise<AgentReply> {
    if (req.op === 'ping' || req.op === 'stop') return { ok: true, pid: process.pid };
    if (req.op === 'put') {
      session = req.session;
      return { ok: true, pid: process.pid, user: session.user, expiresAt: session.expiresAt };
    }
    if (!session) return { ok: false, reason: 'none', message: 'Not signed in: run `finops-bridge login`.' };
    if (Date.now() > session.expiresAt - REFRESH_MARGIN_MS) {
      if (!session.refreshToken) {
        session = undefined;
        return { ok: false, reason: 'expired', message: 'The sign-in has expired: run `finops-bridge login` again.' };
      }
      try {
        const t = await refreshToken(session.tokenEndpoint, session.clientId, session.scope, session.refreshToken);
        session = { ...session, accessToken: t.access_token, refreshToken: t.refresh_token ?? session.refreshToken, expiresAt: Date.now() + t.expires_in * 1000 };
      } catch (err) {
        session = undefined;
        return { ok: false, reason: 'expired', message: err instanceof Error ? err.message : String(err) };
      }
    }
    return { ok: true, pid: process.pid, token: session.accessToken, user: session.user, expiresAt: session.expiresAt };
  }

  return new Promise<number>((resolve, reject) => {
    const server = net.createServer((c) => {
      let buf = '';
      c.on('data', (d) => {
        buf += d.toString('utf8');
        const nl = buf.indexOf('\n');
        if (nl < 0) return;
        let req: AgentRequest;
        try { req = JSON.parse(buf.slice(0, nl)) as AgentRequest; } catch { c.destroy(); return; }
        void answer(req).then((reply) => {
          c.end(`${JSON.stringify(reply)}\n`);
          if (req.op === 'stop') stop();
        });
      });
      c.on('error', () => undefined);
      arm();
    });
    const stop = () => {
      session = undefined;
      if (idle) clearTimeout(idle);
      server.close(() => resolve(EXIT.ok));
      fs.rmSync(sock, { force: true });
    };
    const arm = () => {
      if (idle) clearTimeout(idle);
      idle = setTimeout(stop, idleMs);
      idle.unref();
    };
    // The socket is born 0600: no moment in which another user could connect.
    const oldMask = process.umask(0o177);
    server.once('error', (err) => { process.umask(oldMask); reject(err); });
    server.listen(sock, () => {
      process.umask(oldMask);
      fs.chmodSync(sock, 0o600);
      arm();
    });
    process.once('SIGTERM', stop);
    process.once('SIGINT', stop);
  });
}
