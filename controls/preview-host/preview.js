// The preview host: a minimal, real implementation of the PCF context the FinOps Bridge controls use.
// Tokens come from the sandbox issuer (password grant for the demo users), Dataverse calls go to the
// sandbox Dataverse through /preview/dataverse, the bridge is called by the controls themselves.
/* global window, document, location, DOMParser, CSS, React, ReactDOM, FluentUIReact, CeFormatting */
(function () {
  'use strict';

  // The bundles expect the platform libraries under these global names (pcf-scripts externals).
  window.Reactv16 = React;
  window.FluentUIReactv8290 = FluentUIReact;
  const constructors = {};
  window.ComponentFramework = { registerControl: (name, ctor) => { constructors[name.split('.').pop()] = ctor; } };

  const LOCALES = { 1033: 'en-US', 1043: 'nl-NL', 1053: 'sv-SE' };
  const ENTITY_SETS = { account: 'accounts', environmentvariabledefinition: 'environmentvariabledefinitions', cdm_company: 'cdm_companies' };
  // format: the user's personal number and date format in CE (Personalization settings), which may differ from
  // the language (?format=nl-NL); null follows the language.
  const state = { config: null, user: null, lcid: 1033, format: null, disabled: false, account: null };
  const tokens = new Map();
  const strings = new Map();
  const instances = {};

  const $ = (id) => document.getElementById(id);
  // The frame's own words (tabs, headings, labels) per language id; filled in by main().
  let frameStrings = {};
  const frameText = (key) => (frameStrings[state.lcid] || frameStrings[1033] || {})[key] || key;

  /** Puts every text of the frame (data-t, data-t-label) in the chosen language, and the page's lang. */
  function applyFrameLanguage() {
    for (const el of document.querySelectorAll('[data-t]')) el.textContent = frameText(el.dataset.t);
    for (const el of document.querySelectorAll('[data-t-label]')) el.setAttribute('aria-label', frameText(el.dataset.tLabel));
    document.documentElement.lang = LOCALES[state.lcid] || 'en-US';
  }

  function showError(message) {
    const el = $('host-error');
    el.textContent = message;
    el.hidden = !message;
  }

  function loadScript(src) {
    return new Promise((resolve, reject) => {
      const s = document.createElement('script');
      s.src = src;
      s.onload = resolve;
      s.onerror = () => reject(new Error(`Cannot load ${src}. Build the controls first: npm run build -w controls`));
      document.body.appendChild(s);
    });
  }

  // context.utils.loadDependency, as a model-driven app offers it to a control that declares an on-demand
  // dependency (FinancePanel and SyncStatus: the MsalLibrary control): runs the library control's bundle once per
  // page. The controls call it for their first MSAL token only; here the page hands them tokens itself.
  const dependencies = new Map();
  function loadDependency(name) {
    const m = /^fob_FinOpsBridge\.([A-Za-z0-9]+)$/.exec(name);
    if (!m) return Promise.reject(new Error(`The preview knows no control dependency named ${name}`));
    if (!dependencies.has(name)) dependencies.set(name, loadScript(`/preview/controls/${m[1]}/bundle.js`));
    return dependencies.get(name);
  }

  async function token(userName, scope) {
    const key = `${userName} ${scope}`;
    const cached = tokens.get(key);
    if (cached && cached.expiresAt > Date.now() + 60000) return cached.token;
    const res = await fetch(`${state.config.issuer}/oauth2/v2.0/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'password', client_id: state.config.controlsClientId, username: userName, password: 'demo', scope }).toString(),
    });
    const body = await res.json();
    if (!res.ok) throw new Error(body.error_description || `Token request failed (${res.status})`);
    tokens.set(key, { token: body.access_token, expiresAt: Date.now() + body.expires_in * 1000 });
    return body.access_token;
  }

  // The controls' token source on this page (controls/common/token/host-token-provider.ts): the sandbox
  // issuer's demo sign-in instead of MSAL. Nothing in the controls' manifests refers to it.
  window.finOpsBridgeHost = {
    getToken: ({ scope, userName, forceRefresh }) => {
      if (forceRefresh) tokens.delete(`${userName} ${scope}`);
      return token(userName, scope);
    },
  };

  async function dataverseGet(userName, pathAndQuery) {
    const bearer = await token(userName, state.config.dataverseScope);
    const res = await fetch(`/preview/dataverse/api/data/v9.2/${pathAndQuery}`, { headers: { authorization: `Bearer ${bearer}` } });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error((body.error && body.error.message) || `Dataverse answered ${res.status}`);
    return body;
  }

  function webApiFor(userName) {
    const set = (entity) => ENTITY_SETS[entity] || `${entity}s`;
    return {
      retrieveMultipleRecords: async (entity, options) => {
        const body = await dataverseGet(userName, `${set(entity)}${options || ''}`);
        return { entities: body.value || [], nextLink: body['@odata.nextLink'] };
      },
      retrieveRecord: (entity, id, options) => dataverseGet(userName, `${set(entity)}(${id})${options || ''}`),
    };
  }

  async function resources(control, lcid) {
    const key = `${control}.${lcid}`;
    if (!strings.has(key)) {
      const res = await fetch(`/preview/controls/${control}/strings/${control}.${lcid}.resx`);
      const xml = new DOMParser().parseFromString(await res.text(), 'application/xml');
      const table = {};
      for (const d of xml.getElementsByTagName('data')) table[d.getAttribute('name')] = d.getElementsByTagName('value')[0].textContent;
      // One object per control and language: the controls keep their translator per resources object.
      strings.set(key, { getString: (id) => (id in table ? table[id] : id) });
    }
    return strings.get(key);
  }

  // Like CE: one formatting object and user settings per user and format, the same object on every render.
  const userSettingsCache = new Map();
  function userSettingsFor(user, lcid) {
    const formatLocale = state.format || LOCALES[lcid];
    const key = `${user.upn} ${lcid} ${formatLocale}`;
    if (!userSettingsCache.has(key)) {
      const numberFormattingInfo = CeFormatting.numberFormattingInfo(formatLocale);
      const dateFormattingInfo = CeFormatting.dateFormattingInfo(formatLocale);
      userSettingsCache.set(key, {
        formatting: CeFormatting.createFormatting(numberFormattingInfo, dateFormattingInfo),
        userSettings: {
          userName: user.upn, userId: `{${user.systemUserId}}`, languageId: lcid, locale: LOCALES[lcid], isRTL: false,
          securityRoles: [], dateFormattingInfo, numberFormattingInfo, getTimeZoneOffsetMinutes: (d) => -(d || new Date()).getTimezoneOffset(),
        },
      });
    }
    return userSettingsCache.get(key);
  }

  const text = (raw) => ({ raw, formatted: raw == null ? '' : String(raw), error: false, errorMessage: '', attributes: {}, type: 'SingleLine.Text' });
  const whole = (raw) => ({ raw, formatted: String(raw), error: false, errorMessage: '', attributes: {}, type: 'Whole.None' });

  async function contextFor(control, render) {
    const { user, lcid, disabled, account } = state;
    const recordField = text(account.accountnumber || account.accountid);
    recordField.security = { editable: !disabled, readable: true, secured: false };
    return {
      parameters: {
        recordField,
        // The bridge address comes from the fob_BridgeUrl environment variable in the sandbox Dataverse.
        bridgeUrl: text(null), bridgeAppId: text(null), bridgeScope: text(null), tenantId: text(null),
        clientAppId: text(state.config.controlsClientId),
        tableName: text('account'),
        staleAfterMinutes: whole(5),
        pollSeconds: whole(3),
      },
      userSettings: userSettingsFor(user, lcid).userSettings,
      formatting: userSettingsFor(user, lcid).formatting,
      resources: await resources(control, lcid),
      mode: {
        isControlDisabled: disabled, isVisible: true, label: control, allocatedWidth: -1, allocatedHeight: -1,
        contextInfo: { entityId: account.accountid, entityTypeName: 'account', entityRecordName: account.name },
        setControlState: () => true, setFullScreen: () => undefined, trackContainerResize: () => undefined,
      },
      webAPI: webApiFor(user.upn),
      factory: { requestRender: render },
      navigation: { openUrl: (url) => window.open(url, '_blank', 'noopener') },
      client: { getClient: () => 'Web', getFormFactor: () => 1, isOffline: () => false, disableScroll: false },
      utils: { loadDependency },
    };
  }

  async function renderControl(control, elementId, fresh) {
    const el = $(elementId);
    if (fresh && instances[control]) {
      ReactDOM.unmountComponentAtNode(el);
      instances[control].destroy();
      delete instances[control];
    }
    if (!instances[control]) {
      instances[control] = new constructors[control]();
      instances[control].init(null, () => undefined, {}, el);
    }
    const render = () => void renderControl(control, elementId, false);
    const context = await contextFor(control, render);
    ReactDOM.render(instances[control].updateView(context), el);
  }

  async function renderForm(fresh) {
    if (!state.account) return;
    $('pick').hidden = true;
    $('form').hidden = false;
    $('account-name').textContent = state.account.name;
    $('f-name').textContent = state.account.name;
    $('f-number').textContent = state.account.accountnumber || '';
    $('f-id').textContent = state.account.accountid;
    applyFrameLanguage();
    await Promise.all([renderControl('FinancePanel', 'finance-panel', fresh), renderControl('SyncStatus', 'sync-status', fresh)]);
  }

  async function loadAccounts() {
    // The list is the host's navigation, not part of a control: it is read as the admin (who sees every
    // company) so that each user can open every account and meet "no permission" where it applies.
    const admin = state.config.users.find((u) => u.name === 'admin') || state.user;
    const body = await dataverseGet(admin.upn, 'accounts?$select=accountid,name,accountnumber&$orderby=accountnumber&$top=200');
    const rows = body.value || [];
    // A few per legal entity prefix (US-, NL-, SE-, ...), plus anything without a number (not linked).
    const seen = {};
    const pick = rows.filter((a) => {
      const prefix = (a.accountnumber || 'none').split('-')[0];
      seen[prefix] = (seen[prefix] || 0) + 1;
      return seen[prefix] <= 4;
    });
    const list = $('accounts');
    list.innerHTML = '';
    for (const a of pick) {
      const li = document.createElement('li');
      const b = document.createElement('button');
      b.type = 'button';
      b.dataset.accountId = a.accountid;
      b.innerHTML = '<span class="name"></span><span class="num"></span>';
      b.querySelector('.name').textContent = a.name;
      b.querySelector('.num').textContent = a.accountnumber || '';
      b.addEventListener('click', () => {
        for (const other of list.querySelectorAll('button')) other.removeAttribute('aria-current');
        b.setAttribute('aria-current', 'true');
        state.account = a;
        void renderForm(true).catch((e) => showError(e.message));
      });
      li.appendChild(b);
      list.appendChild(li);
    }
    if (pick.length === 0) list.innerHTML = `<li class="muted" data-t="noAccounts">${frameText('noAccounts')}</li>`;
  }

  async function main() {
    const params = new URLSearchParams(location.search);
    [state.config, frameStrings] = await Promise.all([
      fetch('/preview/config.json').then((r) => r.json()),
      fetch('/preview/host/frame-strings.json').then((r) => r.json()),
    ]);
    const userSelect = $('user');
    for (const u of state.config.users) {
      const o = document.createElement('option');
      o.value = u.name;
      o.textContent = `${u.name} (${u.displayName})`;
      userSelect.appendChild(o);
    }
    state.user = state.config.users.find((u) => u.name === (params.get('user') || 'controller')) || state.config.users[0];
    userSelect.value = state.user.name;
    state.lcid = Number(params.get('lcid')) || state.user.uiLanguage || 1033;
    state.format = params.get('format');
    $('language').value = String(state.lcid);
    applyFrameLanguage();

    userSelect.addEventListener('change', () => {
      state.user = state.config.users.find((u) => u.name === userSelect.value);
      void renderForm(true).catch((e) => showError(e.message));
    });
    $('language').addEventListener('change', (e) => {
      state.lcid = Number(e.target.value);
      applyFrameLanguage();
      void renderForm(false).catch((err) => showError(err.message));
    });
    $('disabled').addEventListener('change', (e) => {
      state.disabled = e.target.checked;
      void renderForm(false).catch((err) => showError(err.message));
    });

    await Promise.all([loadScript('/preview/controls/FinancePanel/bundle.js'), loadScript('/preview/controls/SyncStatus/bundle.js')]);
    await loadAccounts();
    const wanted = params.get('account');
    const button = wanted ? document.querySelector(`[data-account-id="${CSS.escape(wanted)}"]`) : null;
    if (button) button.click();
  }

  main().catch((e) => showError(frameText('startFailed').replace('{0}', e.message)));
})();
