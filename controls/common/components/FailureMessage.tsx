// The messages every control shows for configuration problems and failed bridge calls.
import * as React from 'react';
import { DefaultButton, MessageBarType, Spinner, SpinnerSize } from '@fluentui/react';
import { Bar } from './Bar';
import type { BridgeFailure } from '../bridge-client';
import type { ConfigProblem } from '../config';
import { fill, type Translate } from '../strings';

const CONFIG_KEYS: Record<ConfigProblem, string> = {
  missing_url: 'Common_ConfigMissingUrl',
  invalid_url: 'Common_ConfigInvalidUrl',
  missing_app: 'Common_ConfigMissingApp',
  lookup_failed: 'Common_ConfigLookupFailed',
};

export const ConfigProblemMessage = React.memo(function ConfigProblemMessage(props: { problem: ConfigProblem; detail?: string; t: Translate }) {
  return (
    <Bar messageBarType={MessageBarType.warning} isMultiline>
      {fill(props.t(CONFIG_KEYS[props.problem]), props.detail ?? '')}
    </Bar>
  );
});

export const Loading = React.memo(function Loading(props: { label: string }) {
  return <Spinner size={SpinnerSize.medium} label={props.label} ariaLive="polite" />;
});

interface FailureProps {
  failure: BridgeFailure;
  t: Translate;
  /** Text for "not linked", which differs per control. */
  notLinkedText: string;
  onRetry: () => void;
  onSignIn: () => void;
}

export const FailureMessage = React.memo(function FailureMessage({ failure, t, notLinkedText, onRetry, onSignIn }: FailureProps) {
  switch (failure.kind) {
    case 'not_linked':
      return <Bar messageBarType={MessageBarType.info}>{notLinkedText}</Bar>;
    case 'forbidden':
      return <Bar messageBarType={MessageBarType.blocked} isMultiline>{t('Common_Forbidden')}</Bar>;
    case 'not_found':
      return <Bar messageBarType={MessageBarType.blocked} isMultiline>{t('Common_NotFound')}</Bar>;
    case 'busy':
    case 'upstream':
      return (
        <Bar
          messageBarType={MessageBarType.warning}
          isMultiline
          actions={<DefaultButton onClick={onRetry}>{t('Common_TryAgain')}</DefaultButton>}
        >
          {t(failure.kind === 'busy' ? 'Common_Busy' : 'Common_Upstream')}
        </Bar>
      );
    case 'sign_in':
    case 'unauthorized':
      return (
        <Bar
          messageBarType={MessageBarType.warning}
          isMultiline
          actions={<DefaultButton onClick={onSignIn}>{t('Common_SignIn')}</DefaultButton>}
        >
          {t('Common_SignInNeeded')}
        </Bar>
      );
    case 'unreachable':
      return (
        <Bar
          messageBarType={MessageBarType.error}
          isMultiline
          actions={<DefaultButton onClick={onRetry}>{t('Common_TryAgain')}</DefaultButton>}
        >
          {t('Common_Unreachable')}
        </Bar>
      );
    default:
      return (
        <Bar
          messageBarType={MessageBarType.error}
          isMultiline
          actions={<DefaultButton onClick={onRetry}>{t('Common_TryAgain')}</DefaultButton>}
        >
          {fill(t('Common_Error'), failure.message)}
        </Bar>
      );
  }
});
