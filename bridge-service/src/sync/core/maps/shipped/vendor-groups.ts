// VendorGroups <-> msdyn_vendorgroup ("Vendor groups to msdyn_vendorgroups" in Microsoft's dual-write mapping reference,
// MicrosoftDocs/dynamics-365-unified-operations-public, articles/fin-ops-core/dev-itpro/data-entities/dual-write/includes/
// VendVendorGroup-msdyn-vendorgroups.md): VENDORGROUPID = msdyn_vendorgroup, DESCRIPTION = msdyn_description,
// DEFAULTPAYMENTTERMNAME = msdyn_paymentterms.msdyn_name, CLEARINGPERIODPAYMENTTERMNAME =
// msdyn_clearingperiodpaymentpermname.msdyn_name ("perm" sic, as the map spells it).
//
// F&O side: the data entity VendVendorGroupEntity (CDM "Vendor groups in ProcurementAndSourcing(VendVendorGroupEntity)":
// VendorGroupId, Description, DefaultPaymentTermName, ClearingPeriodPaymentTermName, ...). Its OData entity set
// `VendorGroups` is not in this repository's reference metadata; it is the set public integrations query
// (GET /data/VendorGroups?cross-company=true, found with the code search of public repositories), company-scoped like
// CustomerGroups, keyed by dataAreaId + VendorGroupId.
//
// Dataverse side, not verified against msdyn_vendorgroup's table definition (no entity reference of it was found): the
// lookup columns are read from the map's `<lookup column>.<key of the target>` notation, the reading that gives the
// customer groups' `msdyn_paymenttermid` (PAYMENTTERMID = msdyn_paymenttermid.msdyn_name) and the vendors'
// `msdyn_vendorgroupid` (VENDORGROUPID = msdyn_vendorgroupid.msdyn_vendorgroup); the primary id follows the platform's
// `<table>id` rule and the alternate key the company + group id dual-write keys the table by. `doctor` names any of
// them a real environment lacks.
import { COMPANY_LOOKUP, type LookupTransform, type TableMap } from '../types';
import { PAYMENT_TERM_LOOKUP } from './customers';

/** msdyn_vendor.msdyn_vendorgroupid: the vendor's group, looked up by its code in the vendor's company. */
export const VENDOR_GROUP_LOOKUP: LookupTransform = {
  kind: 'lookup', entitySet: 'msdyn_vendorgroups', table: 'msdyn_vendorgroup', keyColumn: 'msdyn_vendorgroup', companyScoped: true,
};

export const vendorGroups: TableMap = {
  name: 'vendor-groups',
  description: 'F&O vendor groups <-> Dataverse vendor groups (msdyn_vendorgroup)',
  direction: 'both',
  fno: { entitySet: 'VendorGroups', keys: ['dataAreaId', 'VendorGroupId'], companyField: 'dataAreaId' },
  dataverse: {
    entitySet: 'msdyn_vendorgroups', table: 'msdyn_vendorgroup', primaryId: 'msdyn_vendorgroupid',
    alternateKey: ['msdyn_vendorgroup', 'msdyn_company'], companyLookup: 'msdyn_company', modifiedField: 'modifiedon',
  },
  fields: [
    { fno: 'VendorGroupId', dataverse: 'msdyn_vendorgroup', dir: '=', key: true, required: true },
    { fno: 'dataAreaId', dataverse: 'msdyn_company', dir: '=', key: true, required: true, transform: COMPANY_LOOKUP },
    { fno: 'Description', dataverse: 'msdyn_description', dir: '=' },
    { fno: 'DefaultPaymentTermName', dataverse: 'msdyn_paymentterms', dir: '=', transform: PAYMENT_TERM_LOOKUP },
    { fno: 'ClearingPeriodPaymentTermName', dataverse: 'msdyn_clearingperiodpaymentpermname', dir: '=', transform: PAYMENT_TERM_LOOKUP },
  ],
  legalEntities: 'all',
  dependsOn: ['legal-entities', 'payment-terms'],
  conflictPolicy: { kind: 'primary', side: 'fno' },
  // Reference data, as customer groups: a delete on either side deletes the other. F&O refuses to delete a group its
  // vendors use; the job is parked with its message and the admin decides.
  deletes: { fnoDeleted: 'delete', dataverseDeleted: 'delete' },
};
