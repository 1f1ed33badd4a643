// The hosted service, as a container runs it: the Dockerfile's runtime stage replayed step by step in a
// temporary folder (this machine has no container engine): copy the package files, `npm ci --omit=dev`, copy
// the built dist/, then start its CMD with plain `node` (no tsx: it is a development dependency) against a
// sandbox started apart, configured only by the variables a real installation sets. It must answer /health,
// a user's finance summary and the admin CLI, and its HEALTHCHECK must pass.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { execFileSync, spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sandboxEnv, startSandbox, type Sandbox } from '@finops-bridge/sandbox';
import { parseDockerfile, type Stage } from './dockerfile';
import { freePort } from '../support/ports';

const repo = path.resolve(import.meta.dirname, '..', '..');
const dockerfile = parseDockerfile(readFileSync(path.join(repo, 'Dockerfile'), 'utf8'));
const runtime = dockerfile[dockerfile.length - 1];

let tmp: string;
let sandbox: Sandbox;
let server: ChildProcess | undefined;
let serverLog = '';
let baseUrl: string;
let env: NodeJS.ProcessEnv;
let workdir: string;


/** A container path (/app/x) inside the temporary root. */
const inRoot = (p: string) => path.join(tmp, 'root', p);

/** Replays the stage: COPY from the repository (the build stage's output is the repository after its build),
 * RUN with the container's absolute folders moved under the temporary root, ENV and WORKDIR. */
function replay(stage: Stage): { env: Record<string, string>; cmd: string[]; healthcheck?: string[] } {
  const vars: Record<string, string> = {};
  let cwd = inRoot('/');
  let cmd: string[] = [];
  let healthcheck: string[] | undefined;
  const containerDirs = new Set<string>();
  const mapPaths = (s: string) => [...containerDirs].reduce((acc, d) => acc.replace(new RegExp(`(^|[\\s=])${d}(?=[/\\s]|$)`, 'g'), `$1${inRoot(d)}`), s);
  for (const step of stage.steps) {
    switch (step.op) {
      case 'WORKDIR':
        containerDirs.add(step.dir);
        cwd = inRoot(step.dir);
        mkdirSync(cwd, { recursive: true });
        break;
      case 'ENV':
        for (const [k, v] of Object.entries(step.vars)) {
          if (v.startsWith('/')) containerDirs.add(v);
          vars[k] = v;
        }
        break;
      case 'COPY':
        for (const src of step.sources) {
          const from = path.join(repo, step.from ? src.replace(/^\/app\//, '') : src);
          const to = step.dest.endsWith('/') ? path.join(cwd, step.dest, step.sources.length > 1 || !src.endsWith('/') ? path.basename(src) : '') : path.join(cwd, step.dest);
          if (!existsSync(from)) throw new Error(`COPY ${src}: ${from} does not exist (was the bridge built?)`);
          cpSync(from, step.sources.length === 1 && src.endsWith('/') ? path.join(cwd, step.dest) : to, { recursive: true });
        }
        break;
      case 'RUN': {
        // Ownership means nothing here (the test runs as the current user, and there is no "node" user).
        const run = spawnSync('sh', ['-c', `chown() { :; }; ${mapPaths(step.command)}`], { cwd, env: { ...process.env, ...vars }, encoding: 'utf8' });
        if (run.status !== 0) throw new Error(`RUN ${step.command} failed (${run.status}):\n${run.stdout}\n${run.stderr}`);
        break;
      }
      case 'CMD': cmd = step.argv; break;
      case 'HEALTHCHECK': healthcheck = step.argv; break;
      default: break;
    }
  }
  return { env: Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, mapPaths(v)])), cmd, healthcheck };
}

let image: ReturnType<typeof replay>;

beforeAll(async () => {
  tmp = mkdtempSync(path.join(os.tmpdir(), 'fb-deploy-'));
  // The build stage: `npm run build --workspace=bridge-service` (the same script `npm run build` runs).
  execFileSync('npm', ['run', 'build', '--workspace=bridge-service'], { cwd: repo, stdio: 'pipe' });
  image = replay(runtime);
  workdir = inRoot((runtime.steps.filter((s) => s.op === 'WORKDIR').pop() as { dir: string }).dir);
  sandbox = await startSandbox({ customers: 20, quiet: true, fastRetries: true });
  const port = await freePort();
  env = {
    PATH: process.env.PATH, ...image.env, ...sandboxEnv(sandbox.urls),
    PORT: String(port), HOST: '127.0.0.1', DATAVERSE_WEBHOOK_SECRET: 'deploy-test-webhook-secret-0123', LOG_LEVEL: 'warn',
  };
  baseUrl = `http://127.0.0.1:${port}`;
  server = spawn(image.cmd[0] === 'node' ? process.execPath : image.cmd[0], image.cmd.slice(1), { cwd: workdir, env, stdio: ['ignore', 'pipe', 'pipe'] });
  server.stdout!.on('data', (d: Buffer) => { serverLog += d.toString(); });
  server.stderr!.on('data', (d: Buffer) => { serverLog += d.toString(); });
  const until = Date.now() + 30_000;
  for (;;) {
    const ok = await fetch(`${baseUrl}/health`).then((r) => r.ok, () => false);
    if (ok) break;
    if (Date.now() > until || server.exitCode !== null) throw new Error(`the built server did not start:\n${serverLog}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}, 600_000);

afterAll(async () => {
  server?.kill('SIGTERM');
  if (server && server.exitCode === null) await new Promise((r) => server!.once('exit', r));
  await sandbox?.close();
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe('the production build, as the Dockerfile runs it', () => {
  it('installed production dependencies only: no tsx, no TypeScript sources', () => {
    expect(existsSync(path.join(workdir, 'node_modules', 'better-sqlite3'))).toBe(true);
    expect(existsSync(path.join(workdir, 'node_modules', 'tsx'))).toBe(false);
    expect(existsSync(path.join(workdir, 'node_modules', 'typescript'))).toBe(false);
    expect(existsSync(path.join(workdir, 'bridge-service', 'src'))).toBe(false);
    expect(image.cmd).toEqual(expect.arrayContaining(['bridge-service/dist/server.js']));
    expect(image.env).toMatchObject({ HOST: '0.0.0.0', NODE_ENV: 'production' });
  });

  it('answers /health and /ready', async () => {
    expect((await fetch(`${baseUrl}/health`)).status).toBe(200);
    const ready = await fetch(`${baseUrl}/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', store: { status: 'ok' } });
  });

  it('serves the admin console built into dist/admin, without esbuild or the console sources', async () => {
    expect(existsSync(path.join(workdir, 'node_modules', 'esbuild'))).toBe(false);
    const page = await fetch(`${baseUrl}/admin/`);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const script = await fetch(`${baseUrl}/admin/console.js`);
    expect(script.status).toBe(200);
    expect((await script.text()).length).toBeGreaterThan(100_000);
  });

  it('serves a sales user the finance summary of an account, read from F&O', async () => {
    const token = await sandbox.getToken('sales');
    const dvToken = await sandbox.getToken('bridge', 'dataverse');
    const accounts = (await (await fetch(`${sandbox.urls.dataverseApi}/accounts?$select=accountid,accountnumber&$filter=accountnumber ne null`, {
      headers: { authorization: `Bearer ${dvToken}` },
    })).json()) as { value: Array<{ accountid: string; accountnumber: string }> };
    const usmf = accounts.value.find((a) => a.accountnumber.startsWith('US-'))!;
    const res = await fetch(`${baseUrl}/api/v1/accounts/${usmf.accountid}/finance`, { headers: { authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ company: 'usmf', customerAccount: usmf.accountnumber });
  });

  it('runs the admin CLI from the built files with the bridge\'s own variables', async () => {
    const token = await sandbox.getToken('admin');
    const run = spawnSync(process.execPath, ['bridge-service/bin/finops-bridge.js', 'maps', '--json'], {
      cwd: workdir, env: { ...env, BRIDGE_URL: baseUrl, BRIDGE_TOKEN: token }, encoding: 'utf8',
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    expect((JSON.parse(run.stdout) as { maps: Array<{ name: string }> }).maps.map((m) => m.name)).toContain('customers-accounts');
    expect(run.stdout).not.toContain(token);
  });

  it('starts with its variables in a .env file read by node --env-file, as the admin guide says', async () => {
    const port = await freePort();
    const file = path.join(tmp, '.env');
    const vars: NodeJS.ProcessEnv = { ...env, PORT: String(port) };
    delete vars.PATH;
    writeFileSync(file, Object.entries(vars).map(([k, v]) => `${k}=${String(v)}`).join('\n'));
    const child = spawn(process.execPath, [`--env-file=${file}`, 'bridge-service/dist/server.js'], { cwd: workdir, env: { PATH: process.env.PATH }, stdio: 'ignore' });
    try {
      let ready: Response | undefined;
      for (let i = 0; i < 150 && !ready?.ok; i++) {
        ready = await fetch(`http://127.0.0.1:${port}/ready`).catch(() => undefined);
        if (!ready?.ok) await new Promise((r) => setTimeout(r, 200));
      }
      expect(ready?.status).toBe(200);
    } finally {
      child.kill('SIGTERM');
      if (child.exitCode === null) await new Promise((r) => child.once('exit', r));
    }
  }, 60_000);

  it('passes its HEALTHCHECK', () => {
    const [bin, ...args] = image.healthcheck!;
    const run = spawnSync(bin === 'node' ? process.execPath : bin, args, { env, encoding: 'utf8' });
    expect(run.status).toBe(0);
  });
});
