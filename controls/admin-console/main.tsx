// The admin console's entry (bundled into /admin/console.js): reads /admin/config.json, finds how to sign in, and
// renders the console in the language asked (?lcid=) or the browser's.
import './fabric-config';
import * as React from 'react';
import * as ReactDOM from 'react-dom';
import { ConsoleApp } from './components/ConsoleApp';
import { initialLcid, type Lcid, type ResxSet } from './console-strings';
import { signInMethod, type ConsoleConfig } from './sign-in';
import en from './strings/AdminConsole.1033.resx';
import nl from './strings/AdminConsole.1043.resx';
import sv from './strings/AdminConsole.1053.resx';
import syncEn from '../SyncStatus/strings/SyncStatus.1033.resx';
import syncNl from '../SyncStatus/strings/SyncStatus.1043.resx';
import syncSv from '../SyncStatus/strings/SyncStatus.1053.resx';

const RESX: Record<Lcid, ResxSet> = {
  1033: { console: en, syncStatus: syncEn },
  1043: { console: nl, syncStatus: syncNl },
  1053: { console: sv, syncStatus: syncSv },
};

async function start(root: HTMLElement): Promise<void> {
  const res = await fetch('/admin/config.json');
  if (!res.ok) throw new Error(`/admin/config.json answered ${res.status}`);
  const method = await signInMethod((await res.json()) as ConsoleConfig);
  ReactDOM.render(<ConsoleApp method={method} resx={RESX} initialLcid={initialLcid(window.location.search, navigator.languages)} />, root);
}

const root = document.getElementById('root');
if (root) {
  start(root).catch((e: unknown) => {
    const p = document.createElement('p');
    p.setAttribute('role', 'alert');
    p.textContent = `The admin console could not start: ${e instanceof Error ? e.message : String(e)}`;
    root.appendChild(p);
  });
}
