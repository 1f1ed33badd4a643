// Sign in: the demo's users to choose from (local demo), or Entra ID through MSAL (a popup opened by the click).
import * as React from 'react';
import { MessageBarType, PrimaryButton } from '@fluentui/react';
import { Bar } from '../../common/components/Bar';
import type { Translate } from '../../common/strings';
import type { SignedIn, SignInMethod } from '../sign-in';
import { classes } from './styles';

export const SignInView = React.memo(function SignInView({ method, t, onSignedIn }: { method: SignInMethod; t: Translate; onSignedIn: (s: SignedIn) => void }) {
  const [user, setUser] = React.useState(method.kind === 'demo' ? method.users[0]?.name ?? '' : '');
  const [failure, setFailure] = React.useState<string | null>(null);
  const [busy, setBusy] = React.useState(false);
  const signIn = async () => {
    setBusy(true);
    setFailure(null);
    try {
      if (method.kind === 'demo') {
        const chosen = method.users.find((u) => u.name === user);
        if (chosen) onSignedIn(method.signIn(chosen));
      } else if (method.kind === 'msal') {
        onSignedIn(await method.signIn());
      }
    } catch (e) {
      setFailure(`${t('SignIn_Failed')} ${e instanceof Error ? e.message : String(e)}`);
    } finally {
      setBusy(false);
    }
  };
  if (method.kind === 'unconfigured') return <Bar messageBarType={MessageBarType.error}>{t('SignIn_Unconfigured')}</Bar>;
  return (
    <section aria-labelledby="sign-in-title">
      <h2 id="sign-in-title">{t('SignIn_Title')}</h2>
      <p>{t('SignIn_Intro')}</p>
      <div className={classes.toolbar}>
        {method.kind === 'demo' && (
          <label className={classes.field} htmlFor="sign-in-user">
            {t('SignIn_DemoUser')}
            <select id="sign-in-user" value={user} onChange={(e) => setUser(e.target.value)}>
              {method.users.map((u) => <option key={u.name} value={u.name}>{u.displayName}</option>)}
            </select>
          </label>
        )}
        <PrimaryButton text={t('SignIn_Button')} onClick={signIn} disabled={busy} />
      </div>
      {failure && <Bar messageBarType={MessageBarType.error}>{failure}</Bar>}
    </section>
  );
});
