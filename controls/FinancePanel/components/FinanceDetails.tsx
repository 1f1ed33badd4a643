// The read-only part: key figures, open orders and recent invoices.
import * as React from 'react';
import { Stack, Text, mergeStyleSets } from '@fluentui/react';
import type { FinanceSummary } from '../../../bridge-service/src/contracts';
import type { Translate } from '../../common/strings';
import { financeFacts, invoiceRows, orderRows } from '../finance-view';

const css = mergeStyleSets({
  facts: { display: 'grid', gridTemplateColumns: 'minmax(120px, max-content) 1fr', columnGap: 16, rowGap: 4, margin: 0 },
  term: { color: '#605e5c' },
  value: { margin: 0, fontWeight: 600 },
  warning: { color: '#a4262c' },
  table: { borderCollapse: 'collapse', width: '100%', selectors: { 'th, td': { textAlign: 'left', padding: '4px 8px', borderBottom: '1px solid #edebe9' }, 'td.num, th.num': { textAlign: 'right' } } },
});

export const FinanceDetails = React.memo(function FinanceDetails({ summary, locale, t }: { summary: FinanceSummary; locale: string; t: Translate }) {
  const facts = financeFacts(summary, locale, t);
  const orders = orderRows(summary, locale);
  const invoices = invoiceRows(summary, locale);
  return (
    <Stack tokens={{ childrenGap: 12 }}>
      <dl className={css.facts}>
        {facts.map((f) => (
          <React.Fragment key={f.key}>
            <dt className={css.term}>{f.label}</dt>
            <dd className={`${css.value} ${f.emphasis === 'warning' ? css.warning : ''}`} data-fact={f.key}>{f.value}</dd>
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
            {invoices.map((i) => <tr key={i.key}><td>{i.number}</td><td>{i.date}</td><td>{i.due}</td><td className="num">{i.amount}</td></tr>)}
          </tbody>
        </table>
      )}
    </Stack>
  );
});
