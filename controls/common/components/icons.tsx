// Inline SVG icons: they render without the Fluent icon font (which loads from a CDN) and need no
// registration, so there is no "icon not registered" warning and nothing to fetch offline.
import * as React from 'react';

export type IconName = 'refresh' | 'sync' | 'edit' | 'check' | 'error' | 'warning' | 'unlink' | 'clock' | 'blocked' | 'info' | 'clear' | 'chevronDown';

const SHAPES: Record<IconName, React.ReactNode> = {
  refresh: <><path d="M13 8a5 5 0 1 1-1.6-3.7" /><polyline points="12 1.5 12 4.5 9 4.5" /></>,
  sync: <><path d="M2.5 7a5.5 5.5 0 0 1 9.9-2.6" /><polyline points="12.8 1.5 12.8 4.6 9.7 4.6" /><path d="M13.5 9a5.5 5.5 0 0 1-9.9 2.6" /><polyline points="3.2 14.5 3.2 11.4 6.3 11.4" /></>,
  edit: <><path d="M11 2.5l2.5 2.5-8 8H3v-2.5z" /><line x1="9.5" y1="4" x2="12" y2="6.5" /></>,
  check: <><circle cx="8" cy="8" r="6.5" /><polyline points="5 8.2 7.2 10.4 11 6" /></>,
  error: <><circle cx="8" cy="8" r="6.5" /><line x1="5.6" y1="5.6" x2="10.4" y2="10.4" /><line x1="10.4" y1="5.6" x2="5.6" y2="10.4" /></>,
  warning: <><path d="M8 1.8l6.5 11.7h-13z" /><line x1="8" y1="6" x2="8" y2="9.5" /><line x1="8" y1="11.3" x2="8" y2="11.6" /></>,
  unlink: <><path d="M6.5 4.5l1-1a3 3 0 0 1 4.2 4.2l-1 1" /><path d="M9.5 11.5l-1 1a3 3 0 0 1-4.2-4.2l1-1" /><line x1="2" y1="2" x2="14" y2="14" /></>,
  clock: <><circle cx="8" cy="8" r="6.5" /><polyline points="8 4.5 8 8 10.5 9.5" /></>,
  info: <><circle cx="8" cy="8" r="6.5" /><line x1="8" y1="7" x2="8" y2="11" /><line x1="8" y1="4.8" x2="8" y2="5" /></>,
  clear: <><line x1="4" y1="4" x2="12" y2="12" /><line x1="12" y1="4" x2="4" y2="12" /></>,
  chevronDown: <polyline points="3.5 6 8 10.5 12.5 6" />,
  blocked: <><circle cx="8" cy="8" r="6.5" /><line x1="3.4" y1="12.6" x2="12.6" y2="3.4" /></>,
};

export const Icon = React.memo(function Icon({ name, size = 16 }: { name: IconName; size?: number }) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.5}
      strokeLinecap="round"
      strokeLinejoin="round"
      aria-hidden="true"
      focusable="false"
      data-icon={name}
      style={{ flexShrink: 0 }}
    >
      {SHAPES[name]}
    </svg>
  );
});

/** For Fluent buttons: `onRenderIcon={iconRenderer('refresh')}` instead of `iconProps` (which uses the font). */
export function iconRenderer(name: IconName): () => React.ReactElement {
  return function renderIcon() {
    return <span style={{ display: 'inline-flex', margin: '0 4px' }}><Icon name={name} /></span>;
  };
}
