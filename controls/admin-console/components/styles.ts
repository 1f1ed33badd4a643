// The console's few styles (Fluent's mergeStyleSets: class names, no inline style attributes needed by the page).
import { mergeStyleSets } from '@fluentui/react';
import type { Tone } from '../console-view';

const TONE_COLORS: Record<Tone, { background: string; color: string }> = {
  success: { background: '#dff6dd', color: '#0b5a08' },
  info: { background: '#deecf9', color: '#004578' },
  warning: { background: '#fff4ce', color: '#5c4400' },
  error: { background: '#fde7e9', color: '#a4262c' },
  neutral: { background: '#f3f2f1', color: '#323130' },
};

export const classes = mergeStyleSets({
  page: { maxWidth: 1280, margin: '0 auto', padding: '0 16px 32px', color: '#201f1e' },
  header: { display: 'flex', flexWrap: 'wrap', alignItems: 'center', gap: 16, padding: '12px 0', borderBottom: '1px solid #edebe9', marginBottom: 12 },
  title: { fontSize: 20, fontWeight: 600, margin: 0, flexGrow: 1 },
  table: {
    width: '100%', borderCollapse: 'collapse', fontSize: 14, marginTop: 8,
    selectors: {
      'th, td': { textAlign: 'left', verticalAlign: 'top', padding: '6px 8px', borderBottom: '1px solid #edebe9' },
      th: { fontWeight: 600, background: '#faf9f8' },
      'tbody th': { background: 'transparent' },
      'td.num, th.num': { textAlign: 'right', fontVariantNumeric: 'tabular-nums' },
    },
  },
  toolbar: { display: 'flex', flexWrap: 'wrap', alignItems: 'flex-end', gap: 12, margin: '8px 0' },
  field: { display: 'flex', flexDirection: 'column', gap: 4, fontSize: 14, selectors: { 'select, input[type=text]': { minHeight: 32, padding: '0 8px', fontSize: 14, border: '1px solid #8a8886', borderRadius: 2 } } },
  muted: { color: '#605e5c' },
  advice: { color: '#605e5c', display: 'block', marginTop: 2 },
  actions: { display: 'flex', gap: 8, flexWrap: 'wrap' },
  section: { marginTop: 16 },
  scroll: { overflowX: 'auto', maxWidth: '100%' },
  charts: { display: 'flex', flexWrap: 'wrap', gap: 16 },
  chart: { margin: 0, fontSize: 13, selectors: { svg: { display: 'block', border: '1px solid #edebe9', background: '#fff' } } },
  legend: { display: 'flex', gap: 12, marginTop: 4, selectors: { span: { display: 'inline-flex', alignItems: 'center', gap: 4 } } },
  progress: { marginTop: 12, padding: 12, border: '1px solid #edebe9', borderRadius: 4, maxWidth: 640 },
  sr: { position: 'absolute', width: 1, height: 1, overflow: 'hidden', clip: 'rect(0 0 0 0)', whiteSpace: 'nowrap' },
  ...Object.fromEntries(Object.entries(TONE_COLORS).map(([tone, c]) => [`tone_${tone}`, { ...c, padding: '2px 8px', borderRadius: 10, fontSize: 13, whiteSpace: 'nowrap' }])),
});

export function toneClass(tone: Tone): string {
  return (classes as unknown as Record<string, string>)[`tone_${tone}`];
}
