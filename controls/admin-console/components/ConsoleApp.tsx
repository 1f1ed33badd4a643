// The console: the header (language, who is signed in), then, for a Sync.Admin, the maps, errors, conflicts, audit
// log and notifications; anyone else is told plainly that the role is missing.
import * as React from 'react';
import { DefaultButton, MessageBarType, Pivot, PivotItem, Text, ThemeProvider } from '@fluentui/react';
import { Bar } from '../../common/components/Bar';
import { intlFormatter } from '../../common/formatter';
import { fill } from '../../common/strings';
import { AdminApi, AdminApiError } from '../admin-api';
import { LANGUAGES, localeOf, translator, type Lcid, type ResxSet } from '../console-strings';
import type { SignedIn, SignInMethod } from '../sign-in';
import { AuditView } from './AuditView';
import { ConflictsView } from './ConflictsView';
import { ConsoleContext, failureText, type ConsoleContextValue } from './console-context';
import { ErrorsView } from './ErrorsView';
import { MapsView } from './MapsView';
import { NotificationsView } from './NotificationsView';
import { QueueView } from './QueueView';
import { SignInView } from './SignInView';
import { classes } from './styles';

export interface ConsoleAppProps {
  method: SignInMethod;
  resx: Partial<Record<Lcid, ResxSet>>;
  initialLcid: Lcid;
}

type Access = { kind: 'checking' } | { kind: 'admin'; maps: string[] } | { kind: 'refused'; message: string } | { kind: 'failed'; message: string };

export function ConsoleApp({ method, resx, initialLcid }: ConsoleAppProps) {
  const [lcid, setLcid] = React.useState<Lcid>(initialLcid);
  const [session, setSession] = React.useState<SignedIn | null>(null);
  const [access, setAccess] = React.useState<Access>({ kind: 'checking' });
  const t = React.useMemo(() => translator(resx, lcid), [resx, lcid]);
  const api = React.useMemo(() => (session ? new AdminApi((force) => session.getToken(force)) : null), [session]);
  const ctx = React.useMemo<ConsoleContextValue | null>(() => (api ? { api, t, f: intlFormatter(localeOf(lcid)) } : null), [api, t, lcid]);

  React.useEffect(() => {
    document.documentElement.lang = localeOf(lcid);
    document.title = t('Console_Title');
  }, [lcid, t]);

  React.useEffect(() => {
    if (!api) return;
    let live = true;
    setAccess({ kind: 'checking' });
    api.maps().then(
      (maps) => live && setAccess({ kind: 'admin', maps: maps.map((m) => m.name) }),
      (e: unknown) => live && setAccess(e instanceof AdminApiError && e.status === 403
        ? { kind: 'refused', message: e.message }
        : { kind: 'failed', message: failureText(e, t) }),
    );
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- checked once per sign-in, not per language
  }, [api]);

  const signOut = async () => {
    await session?.signOut();
    setSession(null);
  };

  return (
    <ThemeProvider>
      <div className={classes.page}>
        <header className={classes.header}>
          <h1 className={classes.title}>{t('Console_Title')}</h1>
          <label className={classes.field} htmlFor="console-language">
            {t('Console_Language')}
            <select id="console-language" value={lcid} onChange={(e) => setLcid(Number(e.target.value) as Lcid)}>
              {LANGUAGES.map((l) => <option key={l.lcid} value={l.lcid} lang={l.locale}>{l.name}</option>)}
            </select>
          </label>
          {session && <Text>{fill(t('Console_SignedInAs'), session.name)}</Text>}
          {session && <DefaultButton text={t('Console_SignOut')} onClick={signOut} />}
        </header>
        <main>
          {!session && <SignInView method={method} t={t} onSignedIn={setSession} />}
          {session && access.kind === 'checking' && <p>{t('Common_Loading')}</p>}
          {session && access.kind === 'refused' && (
            <div role="alert" data-refused="true">
              <Bar messageBarType={MessageBarType.blocked}>
                <strong>{t('Refused_Title')}</strong> {fill(t('Refused_Text'), session.name)}
                <span className={classes.advice}>{access.message}</span>
              </Bar>
            </div>
          )}
          {session && access.kind === 'failed' && <Bar messageBarType={MessageBarType.error}>{access.message}</Bar>}
          {ctx && access.kind === 'admin' && (
            <ConsoleContext.Provider value={ctx}>
              <Pivot aria-label={t('Console_Sections')}>
                <PivotItem headerText={t('Maps_Title')} itemKey="maps"><h2 className={classes.sr}>{t('Maps_Title')}</h2><MapsView /></PivotItem>
                <PivotItem headerText={t('Errors_Title')} itemKey="errors"><h2 className={classes.sr}>{t('Errors_Title')}</h2><ErrorsView maps={access.maps} /></PivotItem>
                <PivotItem headerText={t('Queue_Title')} itemKey="queue"><h2 className={classes.sr}>{t('Queue_Title')}</h2><QueueView maps={access.maps} /></PivotItem>
                <PivotItem headerText={t('Conflicts_Title')} itemKey="conflicts"><h2 className={classes.sr}>{t('Conflicts_Title')}</h2><ConflictsView maps={access.maps} /></PivotItem>
                <PivotItem headerText={t('Audit_Title')} itemKey="audit"><h2 className={classes.sr}>{t('Audit_Title')}</h2><AuditView /></PivotItem>
                <PivotItem headerText={t('Notifications_Title')} itemKey="notifications"><h2 className={classes.sr}>{t('Notifications_Title')}</h2><NotificationsView maps={access.maps} /></PivotItem>
              </Pivot>
            </ConsoleContext.Provider>
          )}
        </main>
      </div>
    </ThemeProvider>
  );
}
