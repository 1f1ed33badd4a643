import { describe, expect, it } from '@jest/globals';
import { mergeChanges } from './conflict';
import { customersAccounts, legalEntities } from './maps/shipped/index';
import type { TableMap } from './maps/types';

const base = {
  fno: { 'OrganizationName:name': 'Contoso', 'CreditLimit:creditlimit': 1000, 'PrimaryContactPhone:telephone1': '1', 'OnHoldStatus:msdyn_onholdstatus': 'No' },
  dataverse: { 'OrganizationName:name': 'Contoso', 'CreditLimit:creditlimit': 1000, 'PrimaryContactPhone:telephone1': '1', 'OnHoldStatus:msdyn_onholdstatus': 806380000 },
};

describe('mergeChanges', () => {
  it('merges disjoint field changes both ways without conflicts', () => {
    const r = mergeChanges({
      map: customersAccounts, base,
      fno: { ...base.fno, 'CreditLimit:creditlimit': 2000 },
      dataverse: { ...base.dataverse, 'PrimaryContactPhone:telephone1': '2' },
    });
    expect(r).toEqual({ toDataverse: ['CreditLimit:creditlimit'], toFno: ['PrimaryContactPhone:telephone1'], conflicts: [] });
  });

  it('nothing changed: nothing to write (an echo stops here)', () => {
    expect(mergeChanges({ map: customersAccounts, base, fno: base.fno, dataverse: base.dataverse }))
      .toEqual({ toDataverse: [], toFno: [], conflicts: [] });
  });

  it("same field on both sides, policy 'latest': the later change wins and the conflict is recorded", () => {
    const r = mergeChanges({
      map: customersAccounts, base,
      fno: { ...base.fno, 'OrganizationName:name': 'Contoso F&O' },
      dataverse: { ...base.dataverse, 'OrganizationName:name': 'Contoso CE' },
      fnoModifiedAt: '2026-01-01T10:00:00Z', dataverseModifiedAt: '2026-01-01T10:00:05Z',
    });
    expect(r.toFno).toEqual(['OrganizationName:name']);
    expect(r.toDataverse).toEqual([]);
    expect(r.conflicts).toEqual([expect.objectContaining({
      field: 'OrganizationName:name', winner: 'dataverse', fnoValue: 'Contoso F&O', dataverseValue: 'Contoso CE', fnoBase: 'Contoso',
    })]);
    expect(r.conflicts[0].reason).toMatch(/changed on both sides.*Dataverse change .* is later/);
  });

  it("policy 'primary' lets the primary side win whatever the times", () => {
    const map: TableMap = { ...customersAccounts, conflictPolicy: { kind: 'primary', side: 'fno' } };
    const r = mergeChanges({
      map, base,
      fno: { ...base.fno, 'OrganizationName:name': 'F' }, dataverse: { ...base.dataverse, 'OrganizationName:name': 'D' },
      fnoModifiedAt: '2020-01-01T00:00:00Z', dataverseModifiedAt: '2026-01-01T00:00:00Z',
    });
    expect(r.toDataverse).toEqual(['OrganizationName:name']);
    expect(r.conflicts[0].winner).toBe('fno');
    expect(r.conflicts[0].reason).toMatch(/primary side/);
  });

  it('both sides made the same change (through the value map): no conflict, no write', () => {
    const r = mergeChanges({
      map: customersAccounts, base,
      fno: { ...base.fno, 'OnHoldStatus:msdyn_onholdstatus': 'All' },
      dataverse: { ...base.dataverse, 'OnHoldStatus:msdyn_onholdstatus': 806380002 },
    });
    expect(r).toEqual({ toDataverse: [], toFno: [], conflicts: [] });
  });

  it("'latest' names the clock both times were read from", () => {
    const both = { fno: { ...base.fno, 'OrganizationName:name': 'One' }, dataverse: { ...base.dataverse, 'OrganizationName:name': 'Two' } };
    const received = mergeChanges({ map: customersAccounts, base, ...both, fnoModifiedAt: '2026-01-01T10:00:00Z', dataverseModifiedAt: '2026-01-01T10:00:05Z', clock: 'received' });
    expect(received.conflicts[0]).toMatchObject({ winner: 'dataverse' });
    expect(received.conflicts[0].reason).toMatch(/later than the F&O change .* \(by the time the bridge received each change\)/);
    const modified = mergeChanges({ map: customersAccounts, base, ...both, fnoModifiedAt: '2026-01-01T10:00:09Z', dataverseModifiedAt: '2026-01-01T10:00:05Z', clock: 'modified' });
    expect(modified.conflicts[0]).toMatchObject({ winner: 'fno' });
    expect(modified.conflicts[0].reason).toMatch(/by each service's own modified time/);
  });

  it("'latest' without timestamps falls back to F&O and says so", () => {
    const r = mergeChanges({
      map: customersAccounts, base,
      fno: { ...base.fno, 'OrganizationName:name': 'One' }, dataverse: { ...base.dataverse, 'OrganizationName:name': 'Two' },
    });
    expect(r.conflicts[0]).toMatchObject({ winner: 'fno' });
    expect(r.conflicts[0].reason).toMatch(/modified time was missing/);
  });

  it('never writes back into F&O through a one-way map', () => {
    const r = mergeChanges({
      map: legalEntities,
      base: { fno: { 'Name:cdm_name': 'A' }, dataverse: { 'Name:cdm_name': 'A' } },
      fno: { 'Name:cdm_name': 'A' }, dataverse: { 'Name:cdm_name': 'B' },
    });
    expect(r).toEqual({ toDataverse: [], toFno: [], conflicts: [] });
  });

  it('no base (record on both sides at initial sync): the chosen side wins where values differ', () => {
    const fno = { ...base.fno, 'OrganizationName:name': 'Contoso B.V.' };
    const r = mergeChanges({ map: customersAccounts, base: null, fno, dataverse: base.dataverse, initialWinner: 'dataverse' });
    expect(r).toEqual({ toDataverse: [], toFno: ['OrganizationName:name'], conflicts: [] });
    const r2 = mergeChanges({ map: customersAccounts, base: null, fno, dataverse: base.dataverse, initialWinner: 'fno' });
    expect(r2.toDataverse).toEqual(['OrganizationName:name']);
  });
});
