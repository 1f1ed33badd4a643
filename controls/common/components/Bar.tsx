// Fluent's MessageBar with inline SVG icons: its own icons come from the icon font (a CDN), which shows
// empty boxes offline and warns where the font is not initialised.
import * as React from 'react';
import { MessageBar, MessageBarType, type IMessageBarProps } from '@fluentui/react';
import { Icon, type IconName } from './icons';

const BAR_ICONS: Record<MessageBarType, IconName> = {
  [MessageBarType.info]: 'info',
  [MessageBarType.warning]: 'warning',
  [MessageBarType.error]: 'error',
  [MessageBarType.blocked]: 'blocked',
  [MessageBarType.severeWarning]: 'warning',
  [MessageBarType.success]: 'check',
};

export const Bar = React.memo(function Bar(props: IMessageBarProps) {
  const type = props.messageBarType ?? MessageBarType.info;
  return (
    <MessageBar
      {...props}
      messageBarIconProps={{ children: <Icon name={BAR_ICONS[type]} /> }}
      dismissIconProps={{ children: <Icon name="clear" size={12} /> }}
    />
  );
});
