// The Dataverse tables whose rows show finance data: accounts (organisation customers) and contacts (person
// customers). Each names the sync map whose links lead to the F&O customer, the column that holds the customer
// account, and the codes its answers use.
import type { ErrorCode } from '../contracts/errors';

export type FinanceTable = 'account' | 'contact';

export interface FinanceRecordKind<T extends FinanceTable = FinanceTable> {
  table: T;
  /** The Web API collection, also RetrievePrincipalAccess's target. */
  entitySet: 'accounts' | 'contacts';
  /** The customer sync's map; only its links lead to the F&O customer. */
  map: 'customers-accounts' | 'customers-contacts';
  /** The row's column that holds F&O's CustomerAccount (the map's key field besides the company). */
  keyColumn: 'accountnumber' | 'msdyn_contactpersonid';
  /** How a user names that column. */
  keyName: string;
  /**
   * Whether a row the sync has not linked is still read by its own company and key (accounts, as before links
   * existed), or refused (contacts: their customer is found only through the sync's link).
   */
  readsUnlinked: boolean;
  notFound: Extract<ErrorCode, 'FB_ACCOUNT_NOT_FOUND' | 'FB_CONTACT_NOT_FOUND'>;
  notLinked: Extract<ErrorCode, 'FB_ACCOUNT_NOT_LINKED' | 'FB_CONTACT_NOT_LINKED'>;
}

export const FINANCE_RECORDS: { [T in FinanceTable]: FinanceRecordKind<T> } = {
  account: {
    table: 'account', entitySet: 'accounts', map: 'customers-accounts', keyColumn: 'accountnumber', keyName: 'account number',
    readsUnlinked: true, notFound: 'FB_ACCOUNT_NOT_FOUND', notLinked: 'FB_ACCOUNT_NOT_LINKED',
  },
  contact: {
    table: 'contact', entitySet: 'contacts', map: 'customers-contacts', keyColumn: 'msdyn_contactpersonid', keyName: 'contact person id (customer account)',
    readsUnlinked: false, notFound: 'FB_CONTACT_NOT_FOUND', notLinked: 'FB_CONTACT_NOT_LINKED',
  },
};

/** One row that shows finance data: its table and id. */
export interface FinanceRecordRef<T extends FinanceTable = FinanceTable> {
  kind: FinanceRecordKind<T>;
  id: string;
}
