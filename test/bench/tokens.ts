// Bearer tokens from the running sandbox issuer over HTTP, as any client would get them: client
// credentials for the bridge's app, the password grant for demo users (password "demo").
import { BRIDGE_API } from '../../sandbox/src/identity/principals';
import { credentialsForm } from '../../sandbox/src/token-cli';

export type Principal = 'bridge' | 'sales' | 'controller' | 'admin' | 'guest';

/** resource: a base URL (F&O or Dataverse) or 'bridge' for the bridge API. */
export async function getToken(tokenEndpoint: string, principal: Principal, resource: string): Promise<string> {
  const form = credentialsForm(principal);
  form.set('scope', `${resource === 'bridge' ? BRIDGE_API.appIdUri : resource}/.default`);
  const res = await fetch(tokenEndpoint, { method: 'POST', body: form });
  const body = (await res.json()) as { access_token?: string; error_description?: string };
  if (!res.ok || !body.access_token) {
    throw new Error(`The sandbox issuer refused a token for ${principal} (${resource}): HTTP ${res.status} ${body.error_description ?? ''}`);
  }
  return body.access_token;
}
