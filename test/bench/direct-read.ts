// Pure: the requests the bridge makes for one finance summary once the account's F&O key is known (the
// link is cached): the record-access check in Dataverse, then four F&O reads in parallel. The direct
// baseline sends exactly these straight to the sandbox. URL shapes come from the bridge's own helpers,
// so the two cannot drift apart.
import { fnoEntityPath, fnoEnum } from '../../bridge-service/src/clients/fno-client';
import { encodeQuery, eq, identifier, stringLiteral } from '../../bridge-service/src/clients/odata/literals';
import { CUSTOMER_SELECT, INVOICE_SELECT, ORDER_SELECT } from '../../bridge-service/src/finance/summary';

export interface SummaryTarget {
  accountId: string;
  company: string;
  customerAccount: string;
}

export interface DirectPlan {
  /** Dataverse path under /api/data/v9.2 (as the bridge's application user). */
  access: string;
  /** F&O paths under /data, sent together. */
  fno: string[];
}

export function directPlan(t: SummaryTarget, systemUserId: string, listSize = 5): DirectPlan {
  const key = { dataAreaId: t.company, CustomerAccount: t.customerAccount };
  const target = `{'@odata.id':${stringLiteral(`${identifier('accounts')}(${t.accountId})`)}}`;
  const byCustomer = eq('dataAreaId', t.company);
  const list = (entitySet: string, customerField: string, select: readonly string[], orderby: string, extra = '') =>
    `/${entitySet}${encodeQuery({
      $filter: `${byCustomer} and ${eq(customerField, t.customerAccount)}${extra}`, $select: select.join(','), $orderby: orderby, $top: listSize, 'cross-company': 'true',
    })}`;
  return {
    access: `/systemusers(${systemUserId})/Microsoft.Dynamics.CRM.RetrievePrincipalAccess(Target=@t)?@t=${encodeURIComponent(target)}`,
    fno: [
      fnoEntityPath('CustomersV3', key) + encodeQuery({ $select: CUSTOMER_SELECT.join(','), 'cross-company': 'true' }),
      fnoEntityPath('FinOpsBridgeCustomerBalances', key) + encodeQuery({ 'cross-company': 'true' }),
      list('SalesOrderHeadersV2', 'OrderingCustomerAccountNumber', ORDER_SELECT, 'OrderCreationDateTime desc', ` and SalesOrderStatus eq ${fnoEnum('SalesStatus', 'Backorder')}`),
      list('SalesInvoiceHeadersV2', 'InvoiceCustomerAccountNumber', INVOICE_SELECT, 'InvoiceDate desc'),
    ],
  };
}
