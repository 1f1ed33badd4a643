import { describe, it, expect } from '@jest/globals';
import { evaluateFilter, parseFilter, ODataSyntaxError, referencedProperties } from './filter';

const row = {
  dataAreaId: 'usmf', CustomerAccount: 'US-001', OrganizationName: "O'Neill Supplies", CreditLimit: 5000.5,
  CreditLimitIsMandatory: 'Yes', ModifiedDateTime: '2024-02-01T10:00:00Z', _msdyn_company_value: '6d81597f-0f9f-e711-8122-000d3aa2331c',
  InvoiceAccount: null, Balance: -12.25,
};
const ev = (f: string, r: Record<string, unknown> = row): boolean => evaluateFilter(parseFilter(f), r);

describe('parseFilter / evaluateFilter', () => {
  it('compares strings with doubled-quote escaping', () => {
    expect(ev("OrganizationName eq 'O''Neill Supplies'")).toBe(true);
    expect(ev("OrganizationName eq 'O'")).toBe(false);
  });
  it('handles and/or/not with precedence and parentheses', () => {
    expect(ev("dataAreaId eq 'nlmf' or dataAreaId eq 'usmf' and CreditLimit gt 1000")).toBe(true);
    expect(ev("(dataAreaId eq 'nlmf' or dataAreaId eq 'usmf') and CreditLimit gt 10000")).toBe(false);
    expect(ev("not (dataAreaId eq 'usmf')")).toBe(false);
    expect(ev("not dataAreaId eq 'nlmf'")).toBe(true);
  });
  it('reads decimals, negatives, null and booleans', () => {
    expect(ev('CreditLimit ge 5000.5 and CreditLimit lt 5000.51')).toBe(true);
    expect(ev('Balance lt -12')).toBe(true);
    expect(ev('InvoiceAccount eq null')).toBe(true);
    expect(ev('InvoiceAccount ne null')).toBe(false);
    expect(ev('Flag eq true', { Flag: true })).toBe(true);
  });
  it('compares DateTimeOffset and GUID literals unquoted', () => {
    expect(ev('ModifiedDateTime gt 2024-01-31T00:00:00Z')).toBe(true);
    expect(ev('ModifiedDateTime gt 2024-02-01T11:00:00+02:00')).toBe(true);
    expect(ev('ModifiedDateTime ge 2024-03-01T00:00:00Z')).toBe(false);
    expect(ev('_msdyn_company_value eq 6D81597F-0F9F-E711-8122-000D3AA2331C')).toBe(true);
  });
  it('parses F&O enum literals', () => {
    const expr = parseFilter("CreditLimitIsMandatory eq Microsoft.Dynamics.DataEntities.NoYes'Yes'");
    expect(expr).toMatchObject({ kind: 'compare', right: { type: 'enum', value: 'Yes', enumType: 'Microsoft.Dynamics.DataEntities.NoYes' } });
    expect(evaluateFilter(expr, row)).toBe(true);
    expect(evaluateFilter(expr, { CreditLimitIsMandatory: 1 }, { enumResolver: (_t, m) => (m === 'Yes' ? 1 : 0) })).toBe(true);
  });
  it('supports contains/startswith/endswith/tolower', () => {
    expect(ev("contains(OrganizationName,'Neill')")).toBe(true);
    expect(ev("startswith(CustomerAccount,'US-')")).toBe(true);
    expect(ev("endswith(CustomerAccount,'2')")).toBe(false);
    expect(ev("tolower(OrganizationName) eq 'o''neill supplies'")).toBe(true);
    expect(ev("not startswith(CustomerAccount,'NL')")).toBe(true);
  });
  it('treats an injection attempt inside a quoted value as data', () => {
    expect(ev("CustomerAccount eq 'x'' or 1 eq 1 or ''a'")).toBe(false);
    const expr = parseFilter("CustomerAccount eq 'x'' or ''1'' eq ''1'");
    expect(expr).toMatchObject({ kind: 'compare', right: { value: "x' or '1' eq '1" } });
  });
  it('rejects hostile and malformed input with a positioned message', () => {
    const bad = [
      "CustomerAccount eq 'abc", "CustomerAccount eq 'x' or 1 eq 1'", '(dataAreaId eq 1', 'dataAreaId eq 1)',
      "dataAreaId in ('usmf')", 'eq 1', 'dataAreaId eq', 'foo(dataAreaId)', "contains(A)", '', '   ',
      'A eq 1; DROP TABLE x', 'A eq 1 B eq 2', "Flags has Microsoft.Dynamics.DataEntities.NoYes'Yes'",
      '$filter', 'a eq @p',
    ];
    for (const f of bad) {
      expect(() => parseFilter(f)).toThrow(ODataSyntaxError);
    }
    expect(() => parseFilter("CustomerAccount eq 'abc")).toThrow(/Unterminated string literal starting at position 19/);
    expect(() => parseFilter('(A eq 1')).toThrow(/Missing '\)'/);
  });
  it('rejects pathological nesting with a syntax error instead of overflowing the stack', () => {
    expect(() => parseFilter(`${'('.repeat(3000)}A eq 1${')'.repeat(3000)}`)).toThrow(/nests deeper/);
    expect(() => parseFilter(`${'not '.repeat(1900)}A eq 1`)).toThrow(ODataSyntaxError);
    expect(ev(`${'('.repeat(20)}dataAreaId eq 'usmf'${')'.repeat(20)}`)).toBe(true);
  });
  it('lists referenced properties (for unknown-property checks)', () => {
    expect([...referencedProperties(parseFilter("A eq 1 and (contains(B,'x') or not C eq null)"))].sort()).toEqual(['A', 'B', 'C']);
  });
  it('compares mixed types as unequal and ordering on null as false', () => {
    expect(ev("CreditLimit eq '5000.5'")).toBe(false);
    expect(ev('InvoiceAccount gt 1')).toBe(false);
  });
});
