import { describe, expect, it } from '@jest/globals';
import { customerBody } from './live-ceiling';

describe('customerBody', () => {
  it("maps a Dataverse account's plain '=' columns back to F&O names, leaving out nulls", () => {
    expect(customerBody({ accountid: 'x', name: 'Contoso', telephone1: '123', emailaddress1: null, address1_city: 'Oslo', address2_postalcode: '0150' }))
      .toEqual({ OrganizationName: 'Contoso', PrimaryContactPhone: '123', DeliveryAddressCity: 'Oslo', InvoiceAddressZipCode: '0150' });
  });
});
