// What every view of the console needs: the API, the words and the number and date format of the chosen language.
import * as React from 'react';
import type { Formatter } from '../../common/formatter';
import type { Translate } from '../../common/strings';
import type { AdminApi } from '../admin-api';
import { AdminApiError } from '../admin-api';

export interface ConsoleContextValue {
  api: AdminApi;
  t: Translate;
  f: Formatter;
}

export const ConsoleContext = React.createContext<ConsoleContextValue | null>(null);

export function useConsole(): ConsoleContextValue {
  const c = React.useContext(ConsoleContext);
  if (!c) throw new Error('useConsole outside the console');
  return c;
}

/** An API failure in words: the bridge's own message after the console's sentence for its status. */
export function failureText(e: unknown, t: Translate): string {
  if (e instanceof AdminApiError) {
    if (e.status === 403) return t('Error_Forbidden');
    if (e.status === 401) return t('Error_SignInAgain');
    return `${t('Error_Request')} ${e.message}`;
  }
  return `${t('Error_Request')} ${e instanceof Error ? e.message : String(e)}`;
}
