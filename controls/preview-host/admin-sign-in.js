// The admin console's sign-in in the local demo (/admin, served by the bridge that `npm start` composes): the
// sandbox's demo users, signed in at the sandbox issuer with its password grant, as preview.js does for the
// controls. It offers them on window.finOpsBridgeHost; the console honours that on a loopback address only.
/* global window */
(function () {
  'use strict';
  const config = fetch('/preview/config.json').then((r) => r.json());
  const tokens = new Map();

  window.finOpsBridgeHost = {
    users: async () => (await config).users.map((u) => ({ name: u.upn, displayName: `${u.name} (${u.displayName})` })),
    getToken: async ({ scope, userName, forceRefresh }) => {
      const key = `${userName} ${scope}`;
      const cached = tokens.get(key);
      if (!forceRefresh && cached && cached.expiresAt > Date.now() + 60000) return cached.token;
      const c = await config;
      const res = await fetch(`${c.issuer}/oauth2/v2.0/token`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'password', client_id: c.controlsClientId, username: userName, password: 'demo', scope }).toString(),
      });
      const body = await res.json();
      if (!res.ok) throw new Error(body.error_description || `Token request failed (${res.status})`);
      tokens.set(key, { token: body.access_token, expiresAt: Date.now() + body.expires_in * 1000 });
      return body.access_token;
    },
  };
})();
