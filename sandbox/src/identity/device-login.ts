// The verification page of the device code flow (Entra's https://microsoft.com/devicelogin): the user enters the
// code the command line printed, signs in as a demo user (password "demo", as in the preview's sign-in) and
// approves or declines. The same POST answers JSON to a client that asks for it, so a test approves a code as a
// user would, over HTTP.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { DEMO_USERS, type DemoUser } from './principals';
import type { DeviceCodes } from './device-code';

export interface DeviceLoginDeps {
  codes: DeviceCodes;
  findUser(username: string): DemoUser | undefined;
  readBody(req: IncomingMessage): Promise<string>;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

export function devicePage(opts: { code?: string; message?: string; done?: boolean }): string {
  const users = DEMO_USERS.map((u) => `<option value="${u.name}">${escapeHtml(u.displayName)} (${u.name}: ${u.roles.join(', ') || 'no app role'})</option>`).join('');
  const form = opts.done ? '' : `<form method="post" action="/devicelogin">
<p><label>Code <input name="user_code" value="${escapeHtml(opts.code ?? '')}" autocomplete="off" required></label></p>
<p><label>User <select name="username">${users}</select></label></p>
<p><label>Password <input name="password" type="password" value="" placeholder="demo" required></label></p>
<p><button name="action" value="approve">Sign in and approve</button> <button name="action" value="decline" formnovalidate>Decline</button></p>
</form>`;
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Sandbox sign-in: enter code</title>
<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}label{display:block}input,select{font-size:1rem;width:100%}</style></head>
<body><h1>Enter code</h1><p>Sign in to the FinOps Bridge sandbox on another device: enter the code it shows.</p>
${opts.message ? `<p role="status"><strong>${escapeHtml(opts.message)}</strong></p>` : ''}${form}</body></html>`;
}

function reply(req: IncomingMessage, res: ServerResponse, status: number, result: { ok: boolean; message: string }, code?: string): void {
  const wantsJson = /application\/json/.test(req.headers.accept ?? '');
  const body = wantsJson ? JSON.stringify(result) : devicePage({ code, message: result.message, done: result.ok });
  res.writeHead(status, { 'content-type': wantsJson ? 'application/json; charset=utf-8' : 'text/html; charset=utf-8', 'cache-control': 'no-store' });
  res.end(body);
}

/** GET and POST /devicelogin. */
export async function handleDeviceLogin(req: IncomingMessage, res: ServerResponse, url: URL, deps: DeviceLoginDeps): Promise<void> {
  if (req.method === 'GET') {
    res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'cache-control': 'no-store' });
    return void res.end(devicePage({ code: url.searchParams.get('code') ?? undefined }));
  }
  if (req.method !== 'POST') return reply(req, res, 405, { ok: false, message: 'Use GET or POST.' });
  const form = new URLSearchParams(await deps.readBody(req));
  const code = form.get('user_code') ?? '';
  const signIn = deps.codes.find(code);
  if (!signIn) return reply(req, res, 400, { ok: false, message: 'That code is not valid or has expired: check it, or start the sign-in on the device again.' }, code);
  if (form.get('action') === 'decline') {
    deps.codes.decline(signIn);
    return reply(req, res, 200, { ok: true, message: 'You declined the sign-in. You can close this window.' });
  }
  const user = deps.findUser(form.get('username') ?? '');
  if (!user || form.get('password') !== 'demo') return reply(req, res, 401, { ok: false, message: 'Unknown user or wrong password (the demo password is "demo").' }, code);
  deps.codes.approve(signIn, user);
  return reply(req, res, 200, { ok: true, message: `Signed in as ${user.displayName}. Return to the device; you can close this window.` });
}
