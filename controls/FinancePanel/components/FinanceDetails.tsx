// The read-only part: key figures, open orders and recent invoices.
import * as React from 'react';
import { MessageBarType, Stack, Text, mergeStyleSets } from '@fluentui/react';
import { Bar } from '../../common/components/Bar';
import type { FinanceSummary } from '../../../bridge-service/src/contracts';
import type { Formatter } from '../../common/formatter';
import type { Translate } from '../../common/strings';
import { financeFacts, invoiceRows, orderRows, overLimitText } from '../finance-view';

const css = mergeStyleSets({
  // Narrow forms (a form at 800 px, a side pane): the label column shrinks and long values wrap, so the
  // control never makes the form scroll sideways.
  facts: { display: 'grid', gridTemplateColumns: 'minmax(min(120px, 40%), max-content) minmax(0, 1fr)', columnGap: 16, rowGap: 4, margin: 0 },
  term: { color: '#605e5c' },
  value: { margin: 0, fontWeight: 600, overflowWrap: 'anywhere', minWidth: 0 },
  warning: { color: '#a4262c' },
  note: { display: 'block', fontWeight: 400, color: '#605e5c', fontSize: 12 },
  overdueTag: { marginLeft: 6, padding: '0 6px', borderRadius: 8, background: '#fde7e9', color: '#a4262c', fontSize: 12, fontWeight: 600 },
  table: { borderCollapse: 'collapse', width: '100%', selectors: { 'th, td': { textAlign: 'left', padding: '4px 8px', borderBottom: '1px solid #edebe9', overflowWrap: 'anywhere' }, 'td.num, th.num': { textAlign: 'right' } } },
});

export const FinanceDetails = React.memo(function FinanceDetails({ summary, fmt, t }: { summary: FinanceSummary; fmt: Formatter; t: Translate }) {
  const facts = financeFacts(summary, fmt, t);
  const orders = orderRows(summary, fmt, t);
  const overLimit = overLimitText(summary, fmt, t);
  const invoices = invoiceRows(summary, fmt);
  return (
    <Stack tokens={{ childrenGap: 12 }}>
      {overLimit && <Bar messageBarType={MessageBarType.severeWarning} isMultiline data-testid="over-limit">{overLimit}</Bar>}
      <dl className={css.facts}>
        {facts.map((f) => (
          <React.Fragment key={f.key}>
            <dt className={css.term}>{f.label}</dt>
            <dd className={`${css.value} ${f.emphasis === 'warning' ? css.warning : ''}`} data-fact={f.key}>
              {f.value}
              {f.note && <span className={css.note}>{f.note}</span>}
            </dd>
          </React.Fragment>
        ))}
      </dl>
      <Text as="h3" variant="mediumPlus">{t('Orders_Title')}</Text>
      {orders.length === 0 ? (
        <Text>{t('Orders_Empty')}</Text>
      ) : (
        <table className={css.table} aria-label={t('Orders_Title')}>
          <thead>
            <tr><th scope="col">{t('Orders_Number')}</th><th scope="col">{t('Orders_Date')}</th><th scope="col">{t('Orders_Status')}</th><th scope="col" className="num">{t('Orders_Amount')}</th></tr>
          </thead>
          <tbody>
            {orders.map((o) => <tr key={o.key}><td>{o.number}</td><td>{o.date}</td><td>{o.status}</td><td className="num">{o.amount}</td></tr>)}
          </tbody>
        </table>
      )}
      <Text as="h3" variant="mediumPlus">{t('Invoices_Title')}</Text>
      {invoices.length === 0 ? (
        <Text>{t('Invoices_Empty')}</Text>
      ) : (
        <table className={css.table} aria-label={t('Invoices_Title')}>
          <thead>
            <tr><th scope="col">{t('Invoices_Number')}</th><th scope="col">{t('Invoices_Date')}</th><th scope="col">{t('Invoices_Due')}</th><th scope="col" className="num">{t('Invoices_Amount')}</th></tr>
          </thead>
          <tbody>
            {invoices.map((i) => (
              <tr key={i.key} data-overdue={i.overdue || undefined}>
                <td>{i.number}</td><td>{i.date}</td>
                <td className={i.overdue ? css.warning : undefined}>{i.due}{i.overdue && <span className={css.overdueTag}>{t('Invoices_Overdue')}</span>}</td>
                <td className="num">{i.amount}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </Stack>
  );
});
