import type { TableMap } from '../types';
import { customersAccounts, customersContacts } from './customers';
import {
  currencies, customerGroups, exchangeRates, legalEntities, operatingUnits, organisationHierarchies, paymentTerms,
} from './reference-data';
import { vendorGroups } from './vendor-groups';
import { releasedProducts, vendors } from './vendors-products';

export { ON_HOLD_STATUS } from './customers';

/** Every map the bridge ships, reference data first. */
export const SHIPPED_MAPS: readonly TableMap[] = Object.freeze([
  legalEntities, operatingUnits, organisationHierarchies, currencies, exchangeRates, paymentTerms, customerGroups,
  customersAccounts, customersContacts, vendorGroups, vendors, releasedProducts,
]);

export {
  currencies, customerGroups, customersAccounts, customersContacts, exchangeRates, legalEntities, operatingUnits,
  organisationHierarchies, paymentTerms, releasedProducts, vendorGroups, vendors,
};
