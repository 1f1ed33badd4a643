import type { TableMap } from '../types';
import { customersAccounts, customersContacts } from './customers';
import { legalEntityOrganisations, organisationHierarchyTypes } from './organisation';
import { releasedProducts } from './products';
import {
  currencies, customerGroups, exchangeRates, legalEntities, operatingUnits, organisationHierarchies, paymentTerms,
} from './reference-data';
import { vendors } from './vendors-products';
import { vendorGroups } from './vendor-groups';

export { ON_HOLD_STATUS } from './customers';

/** Every map the bridge ships, reference data first. */
export const SHIPPED_MAPS: readonly TableMap[] = Object.freeze([
  legalEntities, legalEntityOrganisations, operatingUnits, organisationHierarchyTypes, organisationHierarchies, currencies,
  exchangeRates, paymentTerms, customerGroups, customersAccounts, customersContacts, vendorGroups, vendors, releasedProducts,
]);

export {
  currencies, customerGroups, customersAccounts, customersContacts, exchangeRates, legalEntities, legalEntityOrganisations,
  operatingUnits, organisationHierarchies, organisationHierarchyTypes, paymentTerms, releasedProducts, vendorGroups, vendors,
};
